"""Writes of policy documents and tasks: upload and extraction, the clerk's review (every change
kept as a ``TaskCorrection``), confirmation into supervised items, and progress reports.

Nothing is supervised before a clerk confirms a proposal: ``confirm`` is the only action that
creates ``supervision`` items, one per lead unit, through ``supervision.actions``. Refused
actions (``PermissionDenied`` for the wrong person, ``Refused`` for the wrong state or input)
change nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from kaifaqu import policytext
from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.users import ActingUser, account
from kaifaqu.attachments.actions import upload_attachment
from kaifaqu.audit.log import log_bulk
from kaifaqu.audit.writes import audited_bulk_create, audited_bulk_update, audited_save
from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.policies.choices import CorrectionKind, DeadlineKind, ProposalState
from kaifaqu.policies.matching import Match, candidates, match_unit
from kaifaqu.policies.models import (
    PolicyDocument,
    PolicyTask,
    ProgressReport,
    ProposedTask,
    TaskCorrection,
    TaskTarget,
)
from kaifaqu.policies.periods import periods
from kaifaqu.supervision import actions as supervision
from kaifaqu.supervision.choices import ItemState, Level
from kaifaqu.supervision.models import ItemKind
from kaifaqu.units.models import Unit

ITEM_KIND = "RW"
# Attached as the original file; a plain-text upload is kept as the document's text alone.
ATTACHED_SUFFIXES = (".docx", ".pdf")
LEVELS = {
    RegionLevel.PROVINCE: Level.PROVINCE,
    RegionLevel.CITY: Level.CITY,
    RegionLevel.COUNTY: Level.DISTRICT,
}


class Refused(Exception):
    """A review or report refused for the proposal's state or the input; the message is for the
    clerk."""


@dataclass(frozen=True)
class DocumentFacts:
    """What the uploader says of a document; empty fields are taken from the extraction."""

    region: Region
    zone: Any = None
    title: str = ""
    doc_number: str = ""
    issuer: str = ""
    issued: date | None = None


def _user(acting_user: ActingUser) -> User | None:
    return None if isinstance(acting_user, AnonymousUser) else acting_user


def _span(span: policytext.Span) -> dict[str, int]:
    return {"start": span.start, "end": span.end}


def _proposal(document: PolicyDocument, position: int, measure: policytext.Measure) -> ProposedTask:
    dated = [d for d in measure.deadlines if d.kind == "date"]
    recurring = [d for d in measure.deadlines if d.kind == "recurring"]
    chosen = dated or recurring
    deadline = chosen[0] if chosen else None
    return ProposedTask(
        document=document,
        position=position,
        path=measure.path[:40],
        heading=(measure.heading or measure.path)[:300],
        start=measure.span.start,
        end=measure.span.end,
        lead=[{"name": u.name, **_span(u.span)} for u in measure.units if u.role == "lead"],
        support=[{"name": u.name, **_span(u.span)} for u in measure.units if u.role == "support"],
        deadline_kind=deadline.kind if deadline else DeadlineKind.STANDING,
        due=deadline.due if deadline else None,
        recurrence=(deadline.recurrence or "") if deadline else "",
        deadline_text=deadline.text[:60] if deadline else "",
        deadline_start=deadline.span.start if deadline else None,
        deadline_end=deadline.span.end if deadline else None,
        targets=[
            {
                "indicator": t.indicator,
                "comparator": t.comparator,
                "value": str(t.value),
                "unit": t.unit,
                "text": t.text,
                **_span(t.span),
            }
            for t in measure.targets
        ],
    )


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def store_extraction(
    extracted: policytext.ExtractedDocument,
    facts: DocumentFacts,
    *,
    acting_user: ActingUser,
    file_name: str = "",
) -> PolicyDocument:
    """The document and one proposal per measure that names units, a deadline or a target."""
    ensure_can(acting_user, "policies.upload_document")
    with transaction.atomic():
        document = audited_save(
            PolicyDocument(
                title=(facts.title or extracted.title or _first_line(extracted.text) or file_name)[
                    :300
                ],
                doc_number=(facts.doc_number or extracted.doc_number)[:80],
                issuer=(facts.issuer or extracted.issuer)[:100],
                issued=facts.issued or extracted.issued,
                text=extracted.text,
                file_name=file_name[:255],
                region=facts.region,
                zone=facts.zone,
                created_by=_user(acting_user),
            ),
            acting_user=acting_user,
        )
        measures = [m for m in extracted.measures if m.units or m.deadlines or m.targets]
        for position, measure in enumerate(measures, start=1):
            audited_save(_proposal(document, position, measure), acting_user=acting_user)
    return document


def upload_document(
    upload: UploadedFile[bytes], facts: DocumentFacts, *, acting_user: ActingUser
) -> PolicyDocument:
    """Read an uploaded .txt, .docx or text .pdf, extract its measures and store them; a .docx
    or .pdf is kept as the document's attachment. An unreadable file stores nothing."""
    ensure_can(acting_user, "policies.upload_document")
    name = upload.name or ""
    suffix = Path(name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        try:
            text = policytext.read_document(Path(copy.name))
        except policytext.UnreadableDocument as reason:
            raise Refused(str(reason)) from reason
    extracted = policytext.extract(text, issued=facts.issued)
    with transaction.atomic():
        document = store_extraction(extracted, facts, acting_user=acting_user, file_name=name)
        if suffix in ATTACHED_SUFFIXES:
            upload.seek(0)
            upload_attachment(document, upload, acting_user=acting_user, description="原件")
    return document


def _state(proposal: ProposedTask) -> dict[str, Any]:
    """The reviewed fields of a proposal, as a correction records them."""
    return {
        "start": proposal.start,
        "end": proposal.end,
        "lead": proposal.lead,
        "support": proposal.support,
        "deadline_kind": proposal.deadline_kind,
        "due": proposal.due.isoformat() if proposal.due else None,
        "recurrence": proposal.recurrence,
        "targets": proposal.targets,
    }


def _locked(proposal: ProposedTask, acting_user: ActingUser) -> ProposedTask:
    """The proposal as stored now, locked, if the user may review it and it is still open."""
    proposal = ProposedTask._base_manager.select_for_update().get(pk=proposal.pk)
    ensure_can(acting_user, "policies.review_task", proposal)
    _require_open(proposal)
    return proposal


def _require_open(proposal: ProposedTask) -> None:
    if proposal.state != ProposalState.PROPOSED:
        raise Refused(f"「{proposal.heading}」已{proposal.get_state_display()},不能再修改")


def _record(
    proposal: ProposedTask,
    kind: CorrectionKind,
    before: dict[str, Any],
    after: dict[str, Any],
    acting_user: ActingUser,
) -> TaskCorrection:
    return audited_save(
        TaskCorrection(
            proposal=proposal,
            kind=kind,
            before=before,
            after=after,
            user=_user(acting_user),
            time=timezone.now(),
        ),
        acting_user=acting_user,
    )


def _named(names: Iterable[str], kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Units by name, keeping the span of a name the proposal already had."""
    spans = {unit["name"]: unit for unit in kept}
    result = []
    for name in dict.fromkeys(n.strip() for n in names if n.strip()):
        result.append(spans.get(name, {"name": name}))
    return result


def correct_units(
    proposal: ProposedTask, *, lead: Sequence[str], support: Sequence[str], acting_user: ActingUser
) -> ProposedTask:
    with transaction.atomic():
        proposal = _locked(proposal, acting_user)
        before = _state(proposal)
        if not [n for n in lead if n.strip()]:
            raise Refused("请至少填写一个牵头单位")
        kept = proposal.lead + proposal.support
        proposal.lead, proposal.support = _named(lead, kept), _named(support, kept)
        audited_save(proposal, acting_user=acting_user)
        _record(proposal, CorrectionKind.UNITS, before, _state(proposal), acting_user)
    return proposal


def correct_deadline(
    proposal: ProposedTask,
    *,
    kind: str,
    due: date | None,
    recurrence: str,
    acting_user: ActingUser,
) -> ProposedTask:
    with transaction.atomic():
        proposal = _locked(proposal, acting_user)
        before = _state(proposal)
        if kind == DeadlineKind.DATE and due is None:
            raise Refused("限期完成的任务须填写完成时限")
        if kind == DeadlineKind.RECURRING and not recurrence:
            raise Refused("定期报送的任务须选择报送周期")
        proposal.deadline_kind = kind
        proposal.due = due if kind == DeadlineKind.DATE else None
        proposal.recurrence = recurrence if kind == DeadlineKind.RECURRING else ""
        audited_save(proposal, acting_user=acting_user)
        _record(proposal, CorrectionKind.DEADLINE, before, _state(proposal), acting_user)
    return proposal


def correct_targets(
    proposal: ProposedTask, *, targets: Sequence[dict[str, str]], acting_user: ActingUser
) -> ProposedTask:
    """Replace the targets (each with indicator, comparator, value and unit); a target that is
    unchanged keeps its span."""
    with transaction.atomic():
        proposal = _locked(proposal, acting_user)
        before = _state(proposal)
        kept = {
            (t["indicator"], t["comparator"], str(Decimal(t["value"])), t["unit"]): t
            for t in proposal.targets
        }
        replaced = []
        for target in targets:
            key = (
                target["indicator"],
                target["comparator"],
                str(Decimal(target["value"])),
                target["unit"],
            )
            replaced.append(kept.get(key, {**target, "value": key[2]}))
        proposal.targets = replaced
        audited_save(proposal, acting_user=acting_user)
        _record(proposal, CorrectionKind.TARGETS, before, _state(proposal), acting_user)
    return proposal


def merge(proposal: ProposedTask, *, into: ProposedTask, acting_user: ActingUser) -> ProposedTask:
    """合并: ``proposal`` joins ``into`` (of the same document): the span covers both, units and
    targets are united, and ``into`` keeps its deadline unless it had none."""
    with transaction.atomic():
        proposal = _locked(proposal, acting_user)
        into = _locked(into, acting_user)
        if into.document_id != proposal.document_id or into.pk == proposal.pk:
            raise Refused("只能与同一文件的另一项任务合并")
        before = {"merged": _state(proposal), "into": _state(into)}
        into.start, into.end = min(into.start, proposal.start), max(into.end, proposal.end)
        into.lead = _united(into.lead, proposal.lead)
        into.support = _united(into.support, proposal.support)
        into.targets = into.targets + [t for t in proposal.targets if t not in into.targets]
        if into.deadline_kind == DeadlineKind.STANDING:
            into.deadline_kind, into.due = proposal.deadline_kind, proposal.due
            into.recurrence, into.deadline_text = proposal.recurrence, proposal.deadline_text
            into.deadline_start, into.deadline_end = proposal.deadline_start, proposal.deadline_end
        audited_save(into, acting_user=acting_user)
        proposal.state, proposal.merged_into = ProposalState.MERGED, into
        audited_save(proposal, acting_user=acting_user)
        _record(into, CorrectionKind.MERGE, before, _state(into), acting_user)
    return into


def _united(first: list[dict[str, Any]], second: list[dict[str, Any]]) -> list[dict[str, Any]]:
    names = {unit["name"] for unit in first}
    return first + [unit for unit in second if unit["name"] not in names]


def split(proposal: ProposedTask, *, acting_user: ActingUser) -> ProposedTask:
    """拆分: a copy of the proposal right after it, for the clerk to correct each part."""
    with transaction.atomic():
        proposal = _locked(proposal, acting_user)
        ProposedTask._base_manager.filter(
            document_id=proposal.document_id, position__gt=proposal.position
        ).update(position=F("position") + 1)
        copy = ProposedTask._base_manager.get(pk=proposal.pk)
        copy.pk = None
        copy.position = proposal.position + 1
        audited_save(copy, acting_user=acting_user)
        _record(proposal, CorrectionKind.SPLIT, _state(proposal), {"copy": copy.pk}, acting_user)
    return copy


def drop(proposal: ProposedTask, *, acting_user: ActingUser) -> ProposedTask:
    """删除: not a task (a heading, a background sentence); kept as the extractor's mistake."""
    with transaction.atomic():
        proposal = _locked(proposal, acting_user)
        before = _state(proposal)
        proposal.state = ProposalState.DROPPED
        audited_save(proposal, acting_user=acting_user)
        _record(proposal, CorrectionKind.DROP, before, {}, acting_user)
    return proposal


def unit_matches(proposal: ProposedTask, units: list[Unit] | None = None) -> dict[str, list[Match]]:
    """The registry's units for the proposal's lead and supporting names (among ``units``, the
    document's candidates, when a page matches many proposals)."""
    region = proposal.document.region
    units = candidates(region) if units is None else units
    return {
        role: [match_unit(unit["name"], region, units) for unit in getattr(proposal, role)]
        for role in ("lead", "support")
    }


def _matched_units(matches: list[Match]) -> list[Unit]:
    unmatched = [m.name for m in matches if not m.units]
    if unmatched:
        raise Refused(f"单位库中没有与「{'、'.join(unmatched)}」对应的单位,请先修改责任单位")
    return list(dict.fromkeys(unit for m in matches for unit in m.units))


def _bound_indicator(indicator_text: str, indicators: list[Indicator]) -> Indicator | None:
    """The 数据指标库 indicator a target names: the same name, or one name containing the other."""
    text = indicator_text.replace(" ", "")
    for indicator in indicators:
        if indicator.name == text:
            return indicator
    for indicator in indicators:
        if indicator.name and (indicator.name in text or text in indicator.name):
            return indicator
    return None


def confirm(
    proposal: ProposedTask, *, acting_user: ActingUser, today: date | None = None
) -> list[PolicyTask]:
    """确认: one supervised item (kind RW) per lead unit, dispatched to it with the supporting
    units and the deadline from the text; a collective lead is expanded to its members. A
    recurring task opens its reports up to today's period."""
    return confirm_all([proposal], acting_user=acting_user, today=today)


def confirm_all(
    proposals: Iterable[ProposedTask], *, acting_user: ActingUser, today: date | None = None
) -> list[PolicyTask]:
    """``confirm`` of many proposals (a document's, in order) at once, in a number of queries
    that does not grow with them: the same items, numbers, tasks, change log and events. If
    any proposal is refused, none is confirmed."""
    today = today or timezone.localdate()
    wanted = [p.pk for p in proposals]
    with transaction.atomic():
        locked = ProposedTask._base_manager.select_for_update(of=("self",)).filter(pk__in=wanted)
        by_pk = {p.pk: p for p in locked.select_related("document__region")}
        confirmed = [by_pk[pk] for pk in dict.fromkeys(wanted)]
        documents: dict[int, PolicyDocument] = {}
        for proposal in confirmed:
            # one document (and region) object each, so what it reads is read once
            proposal.document = documents.setdefault(proposal.document_id, proposal.document)
        units: dict[int, list[Unit]] = {}
        for proposal in confirmed:
            if proposal.document_id not in units:
                ensure_can(acting_user, "policies.review_task", proposal)
                units[proposal.document_id] = candidates(proposal.document.region)
            _require_open(proposal)
        teams = []
        for proposal in confirmed:
            matches = unit_matches(proposal, units[proposal.document_id])
            if not matches["lead"]:
                raise Refused(f"{proposal.path}:请先填写牵头单位")
            teams.append((_matched_units(matches["lead"]), _matched_units(matches["support"])))
        kind = ItemKind.objects.get(code=ITEM_KIND)
        items = supervision.create_assigned_items(
            [
                supervision.NewItem(
                    title=proposal.heading[:200],
                    region=unit.region,
                    zone=unit.zone,
                    level=LEVELS.get(RegionLevel(proposal.document.region.level), Level.DISTRICT),
                    opened=today,
                    deadline=proposal.due,
                    description=f"{proposal.document.title}({proposal.document.doc_number})\n"
                    f"{proposal.measure_text}",
                    lead_unit=unit,
                    supporting_units=tuple(support),
                )
                for proposal, (leads, support) in zip(confirmed, teams, strict=True)
                for unit in leads
            ],
            kind=kind,
            acting_user=acting_user,
        )
        led = [
            (proposal, unit)
            for proposal, (leads, _) in zip(confirmed, teams, strict=True)
            for unit in leads
        ]
        tasks = audited_bulk_create(
            [
                PolicyTask(
                    proposal=proposal,
                    document=proposal.document,
                    item=item,
                    lead_unit=unit,
                    recurrence=proposal.recurrence,
                )
                for (proposal, unit), item in zip(led, items, strict=True)
            ],
            acting_user=acting_user,
        )
        supervision.set_subjects(zip(items, tasks, strict=True), acting_user=acting_user)
        indicators = list(Indicator.objects.all())
        audited_bulk_create(
            [
                TaskTarget(
                    task=task,
                    indicator_text=target["indicator"][:100],
                    comparator=target["comparator"],
                    value=Decimal(target["value"]),
                    unit=target["unit"][:20],
                    year=proposal.due.year if proposal.due else None,
                    indicator=_bound_indicator(target["indicator"], indicators),
                )
                for (proposal, _), task in zip(led, tasks, strict=True)
                for target in proposal.targets
            ],
            acting_user=acting_user,
        )
        befores = [_state(proposal) for proposal in confirmed]
        for proposal in confirmed:
            proposal.state = ProposalState.CONFIRMED
        audited_bulk_update(confirmed, ["state"], acting_user=acting_user)
        numbers: dict[int, list[str]] = {}
        for (proposal, _), item in zip(led, items, strict=True):
            numbers.setdefault(proposal.pk, []).append(item.number)
        audited_bulk_create(
            [
                TaskCorrection(
                    proposal=proposal,
                    kind=CorrectionKind.CONFIRM,
                    before=before,
                    after={"units": [u.name for u in leads], "items": numbers[proposal.pk]},
                    user=_user(acting_user),
                    time=timezone.now(),
                )
                for proposal, before, (leads, _) in zip(confirmed, befores, teams, strict=True)
            ],
            acting_user=acting_user,
        )
        ProgressReport.objects.bulk_create(
            report for task in tasks for report in _missing_reports(task, set(), today)
        )
    return tasks


def _missing_reports(task: PolicyTask, have: set[str], today: date) -> list[ProgressReport]:
    """The reports of a recurring task for the periods from its opening to today's that are
    not in ``have``."""
    if not task.recurrence or task.item.state == ItemState.DONE:
        return []
    return [
        ProgressReport(
            task=task, period=period.label, due=period.end, province_code=task.province_code
        )
        for period in periods(task.recurrence, task.item.opened, today)
        if period.label not in have
    ]


def _open_reports(tasks: Iterable[PolicyTask], today: date) -> int:
    """The missing reports of recurring tasks, for every period from the task's opening to
    today's; returns how many were opened."""
    opened = []
    for task in tasks:
        if task.recurrence and task.item.state != ItemState.DONE:
            have = set(task.reports.values_list("period", flat=True))
            opened.extend(_missing_reports(task, have, today))
    ProgressReport.objects.bulk_create(opened)
    return len(opened)


def open_reports(*, acting_user: ActingUser, today: date | None = None) -> int:
    """Open the reports of the new periods of every recurring task (the nightly job)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        tasks = PolicyTask.objects.exclude(recurrence="").select_related("item")
        count = _open_reports(tasks.iterator(), today)
        log_bulk(
            ProgressReport,
            label="政策任务定期报送",
            counts={"opened": count},
            acting_user=acting_user,
        )
    return count


# A period's report not filed by its due date escalates by supervision's rules, on its item.
REPORTS_OVERDUE = supervision.Overdue(
    ProgressReport,
    item="task__item",
    due="due",
    awaited=Q(submitted__isnull=True),
    label="进展填报",
)


def escalate_reports(*, acting_user: ActingUser, today: date | None = None) -> dict[str, int]:
    """Escalate the running tasks whose period reports are overdue, by supervision's rules
    (working days, data): the lead unit warned, the level raised, the item on the 督办 board,
    as the rules say, each rule once per report. Returns the items each rule reached."""
    return supervision.escalate(acting_user=acting_user, today=today, overdue=REPORTS_OVERDUE)


def report_progress(
    task: PolicyTask,
    *,
    text: str,
    acting_user: ActingUser,
    figure: Decimal | None = None,
    report: ProgressReport | None = None,
    files: Sequence[UploadedFile[bytes]] = (),
) -> ProgressReport:
    """进展填报 by a member of the task's lead or supporting units: fills the period's report
    given, or adds one; evidence files are attached to it."""
    ensure_can(acting_user, "policies.report_progress", task)
    reporter = account(acting_user)  # a member of the task's units, so signed in
    if not text.strip():
        raise Refused("请填写进展情况")
    with transaction.atomic():
        if report is None:
            report = ProgressReport(task=task)
        elif report.task_id != task.pk:
            raise Refused("该期报送不属于本任务")
        elif report.submitted is not None:
            raise Refused(f"{report.period}的进展已填报")
        member = reporter.unit_memberships.filter(
            unit__in=[task.lead_unit_id, *task.item.supporting_units.values_list("pk", flat=True)]
        ).first()
        report.text, report.figure = text.strip(), figure
        report.submitted, report.submitted_by = timezone.now(), _user(acting_user)
        report.unit_id = member.unit_id if member else None
        audited_save(report, acting_user=acting_user)
        for upload in files:
            upload_attachment(report, upload, acting_user=acting_user, description="佐证材料")
    return report
