"""督查: where each supervised policy task stands, per document and per unit, and the 督查通报.

A task's status is read from its supervised item and its reports, in SQL (``with_status``), so
the 督查 page pages its tasks and counts them per document and unit whatever their number:
- 已完成: the item is done by its deadline (or it had none);
- 逾期完成: done after its deadline;
- 逾期未完成: open past its deadline, or a period's report not filed by its due date;
- 推进中: anything else.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)

from kaifaqu.policies.choices import TaskStatus
from kaifaqu.policies.models import PolicyTask, ProgressReport
from kaifaqu.supervision.choices import ItemState

CJK_FONT = "Noto Sans CJK SC"


def with_status(tasks: QuerySet[PolicyTask], today: date) -> QuerySet[PolicyTask]:
    """``tasks`` with each one's ``status`` (a ``TaskStatus`` value) on ``today`` and its latest
    filed report (``latest_text``, ``latest_period``, ``latest_submitted``), computed by the
    database."""
    done = ItemState.DONE
    unfiled = ProgressReport.objects.filter(
        task=OuterRef("pk"), submitted__isnull=True, due__lt=today
    )
    status = Case(
        When(item__state=done, item__closed__gt=F("item__deadline"), then=Value(TaskStatus.LATE)),
        When(item__state=done, then=Value(TaskStatus.COMPLETE)),
        When(item__deadline__lt=today, then=Value(TaskStatus.OVERDUE)),
        When(Exists(unfiled), then=Value(TaskStatus.OVERDUE)),
        default=Value(TaskStatus.ON_TRACK),
        output_field=CharField(),
    )
    latest = ProgressReport.objects.filter(task=OuterRef("pk"), submitted__isnull=False).order_by(
        "-submitted", "-pk"
    )
    return tasks.annotate(
        status=status,
        latest_text=Subquery(latest.values("text")[:1]),
        latest_period=Subquery(latest.values("period")[:1]),
        latest_submitted=Subquery(latest.values("submitted")[:1]),
    )


@dataclass
class Tally:
    """The counts of one document or unit."""

    name: str
    key: int
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Inspection:
    documents: list[Tally]
    units: list[Tally]
    totals: Counter[str]


def tally(tasks: QuerySet[PolicyTask]) -> Inspection:
    """The statuses of ``tasks`` (``with_status``) counted per document and per lead unit, two
    grouped queries."""
    by = {
        "documents": ("document_id", "document__title"),
        "units": ("lead_unit_id", "lead_unit__name"),
    }
    found: dict[str, dict[int, Tally]] = {}
    totals: Counter[str] = Counter()
    for name, (key, label) in by.items():
        groups = tasks.order_by().values(key, label, "status").annotate(n=Count("pk"))
        tallies: dict[int, Tally] = {}
        for group in groups.order_by(label, key):
            row = tallies.setdefault(group[key], Tally(group[label], group[key]))
            row.counts[group["status"]] += group["n"]
            if name == "documents":
                totals[group["status"]] += group["n"]
        found[name] = tallies
    return Inspection(list(found["documents"].values()), list(found["units"].values()), totals)


def deadline_text(task: PolicyTask) -> str:
    if task.item.deadline:
        return f"{task.item.deadline:%Y年%-m月%-d日}前"
    if task.recurrence:
        return str(task.get_recurrence_display())
    return "长期坚持"


def units_text(task: PolicyTask) -> str:
    support = [u.name for u in task.item.supporting_units.all()]
    return task.lead_unit.name + (f"(配合:{'、'.join(support)})" if support else "")


def progress_text(period: str, text: str | None, submitted: datetime | None) -> str:
    """The latest report as the 督查通报 cites it: period, text and date filed."""
    if text is None:
        return "未报送"
    when = f"{submitted:%Y-%m-%d}" if submitted else ""
    return f"{period + ':' if period else ''}{text}({when})"


def bulletin_docx(
    inspection: Inspection,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    today: date,
) -> bytes:
    """The 督查通报 as a Word document: the totals, then the rows of the 督查 list's export."""
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    style = document.styles["Normal"]
    style.font.name = CJK_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    document.add_heading(title, level=0)
    totals = inspection.totals
    document.add_paragraph(
        f"截至{today:%Y年%-m月%-d日},督查政策任务 {sum(totals.values())} 项:"
        + ",".join(f"{status.label} {totals[status]} 项" for status in TaskStatus)
        + "。"
    )
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
