"""督查: where each supervised policy task stands, per document and per unit, and the 督查通报.

A task's status is read from its supervised item and its reports:
- 已完成: the item is done by its deadline (or it had none);
- 逾期完成: done after its deadline;
- 逾期未完成: open past its deadline, or a period's report not filed by its due date;
- 推进中: anything else.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, QuerySet

from kaifaqu.core.sheets import write_xlsx
from kaifaqu.policies.choices import TaskStatus
from kaifaqu.policies.models import PolicyTask, ProgressReport
from kaifaqu.supervision.choices import ItemState

CJK_FONT = "Noto Sans CJK SC"
# The bureau's 督查通报 columns.
COLUMNS = ["文件", "措施", "责任单位", "时限", "进展", "状态"]


def task_status(task: PolicyTask, today: date) -> TaskStatus:
    item = task.item
    if item.state == ItemState.DONE:
        late = item.deadline is not None and item.closed is not None and item.closed > item.deadline
        return TaskStatus.LATE if late else TaskStatus.COMPLETE
    if item.deadline is not None and item.deadline < today:
        return TaskStatus.OVERDUE
    if any(r.submitted is None and r.due is not None and r.due < today for r in _reports(task)):
        return TaskStatus.OVERDUE
    return TaskStatus.ON_TRACK


def _reports(task: PolicyTask) -> list[ProgressReport]:
    return list(task.reports.all())  # prefetched by ``inspected``


def latest_report(task: PolicyTask) -> ProgressReport | None:
    filed = sorted(
        (r for r in _reports(task) if r.submitted is not None), key=lambda r: (r.submitted, r.pk)
    )
    return filed[-1] if filed else None


def inspected(tasks: QuerySet[PolicyTask]) -> QuerySet[PolicyTask]:
    """``tasks`` with what the 督查 reads, in a fixed number of queries."""
    return tasks.select_related("item", "lead_unit", "document", "proposal").prefetch_related(
        "item__supporting_units",
        Prefetch("reports", queryset=ProgressReport.objects.order_by("due", "pk")),
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

    def __getitem__(self, status: str) -> int:
        return self.counts[status]


@dataclass
class Inspection:
    rows: list[dict[str, Any]]
    documents: list[Tally]
    units: list[Tally]
    totals: Counter[str]


def inspect(tasks: Iterable[PolicyTask], today: date) -> Inspection:
    rows: list[dict[str, Any]] = []
    documents: dict[int, Tally] = {}
    units: dict[int, Tally] = {}
    totals: Counter[str] = Counter()
    for task in tasks:
        status = task_status(task, today)
        latest = latest_report(task)
        rows.append({"task": task, "status": status, "latest": latest})
        totals[status] += 1
        document = documents.setdefault(
            task.document_id, Tally(task.document.title, task.document_id)
        )
        document.counts[status] += 1
        unit = units.setdefault(task.lead_unit_id, Tally(task.lead_unit.name, task.lead_unit_id))
        unit.counts[status] += 1
    return Inspection(rows, list(documents.values()), list(units.values()), totals)


def deadline_text(task: PolicyTask) -> str:
    proposal = task.proposal
    if task.item.deadline:
        return f"{task.item.deadline:%Y年%-m月%-d日}前"
    if proposal.recurrence:
        return proposal.get_recurrence_display()
    return "长期坚持"


def units_text(task: PolicyTask) -> str:
    support = [u.name for u in task.item.supporting_units.all()]
    return task.lead_unit.name + (f"(配合:{'、'.join(support)})" if support else "")


def progress_text(latest: ProgressReport | None) -> str:
    if latest is None:
        return "未报送"
    when = f"{latest.submitted:%Y-%m-%d}" if latest.submitted else ""
    return f"{latest.period + ':' if latest.period else ''}{latest.text}({when})"


def bulletin_rows(inspection: Inspection) -> list[list[str]]:
    """The 督查通报 rows: 文件, 措施, 责任单位, 时限, 进展, 状态."""
    return [
        [
            f"{row['task'].document.title}{_number(row['task'])}",
            row["task"].proposal.heading,
            units_text(row["task"]),
            deadline_text(row["task"]),
            progress_text(row["latest"]),
            str(row["status"].label),
        ]
        for row in inspection.rows
    ]


def _number(task: PolicyTask) -> str:
    number = task.document.doc_number
    return f"({number})" if number else ""


def bulletin_xlsx(inspection: Inspection) -> bytes:
    buffer = io.BytesIO()
    write_xlsx("督查通报", COLUMNS, bulletin_rows(inspection), buffer)
    return buffer.getvalue()


def bulletin_docx(inspection: Inspection, *, title: str, today: date) -> bytes:
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
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = text
    for row in bulletin_rows(inspection):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
