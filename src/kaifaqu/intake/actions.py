"""Import actions: validate and plan (preview), commit with a policy, undo. One import = one batch
= one request id, so "everything this import changed" is one query on the change log."""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kaifaqu.access.users import ActingUser, account
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.context import write_context
from kaifaqu.audit.events import record_domain_event
from kaifaqu.audit.log import log_change, snapshot
from kaifaqu.core.bulk import gc_paused
from kaifaqu.core.uploads import upload_limit
from kaifaqu.intake.choices import BatchState, ImportPolicy
from kaifaqu.intake.importers import IMPORTERS, ActionImporter, Importer
from kaifaqu.intake.models import HeaderAlias, ImportBatch
from kaifaqu.intake.writing import Plan, plan, write
from kaifaqu.jobs.actions import enqueue_job
from kaifaqu.jobs.models import Job
from kaifaqu.spreadsheets.headers import match_headers
from kaifaqu.spreadsheets.problems import Problem
from kaifaqu.spreadsheets.reading import Limits, ReadError, Table, read_table
from kaifaqu.spreadsheets.validation import Checked, check_table

if TYPE_CHECKING:
    from kaifaqu.intake.undo import ProgressReport

MAX_STORED_PROBLEMS = 10_000
NOT_COMMITTED = "只有已导入的批次可以撤销"
NOT_VALIDATED = "只有已通过校验、尚未导入的批次可以导入"
NOT_YOURS = "该导入批次不在您的数据范围内"


@dataclass
class Outcome:
    """What a file holds and what importing it would do."""

    problems: list[Problem]
    checked: Checked | None
    plan: Plan | None
    importer: Importer
    table: Table | None = None

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def counts(self) -> dict[str, int]:
        frame = self.checked.frame if self.checked else None
        rows = frame.height if frame is not None else 0
        valid = int(frame["_valid"].sum()) if frame is not None else 0
        counts = {
            "rows": rows,
            "valid_rows": valid,
            "invalid_rows": rows - valid,
            "errors": self.errors,
            "warnings": len(self.problems) - self.errors,
        }
        return counts | (self.plan.counts if self.plan else {})


def create_batch(
    data: bytes,
    file_name: str,
    kind: str,
    *,
    acting_user: ActingUser,
    policy: str = ImportPolicy.REJECT,
    money_unit: str = "万元",
) -> ImportBatch:
    batch = _unsaved_batch(data, file_name, kind, acting_user, policy, money_unit)
    batch.file.save(file_name, ContentFile(data), save=False)
    batch.save()
    return batch


def upload_batch(
    data: bytes,
    file_name: str,
    kind: str,
    *,
    acting_user: ActingUser,
    policy: str = ImportPolicy.REJECT,
    money_unit: str = "万元",
) -> ImportBatch:
    """Keep an uploaded file as a batch and queue its validation (the preview) in the background."""
    with transaction.atomic():
        batch = create_batch(
            data, file_name, kind, acting_user=acting_user, policy=policy, money_unit=money_unit
        )
        enqueue_job("import_validate", {"batch": batch.pk}, acting_user=acting_user)
    return batch


def request_commit(batch: ImportBatch, *, policy: str, acting_user: ActingUser) -> Job:
    """Queue the import of a validated batch under ``policy`` (the change of policy logged).

    Only the uploader may import a batch, and only once it passed validation; a refusal raises
    and changes nothing.
    """
    with transaction.atomic():
        locked = _own_batch(batch, acting_user)
        if locked.state != BatchState.VALIDATED:
            raise ValidationError(NOT_VALIDATED)
        if policy not in ImportPolicy.values:
            raise ValidationError(f"未知的导入策略:{policy}")
        if locked.policy != policy:
            before = snapshot(locked)
            locked.policy = policy
            locked.save(update_fields=["policy"])
            log_change(
                locked,
                action=ChangeAction.UPDATE,
                before=before,
                after=snapshot(locked),
                acting_user=acting_user,
            )
        batch.policy = locked.policy
        return enqueue_job("import_commit", {"batch": batch.pk}, acting_user=acting_user)


def request_undo(batch: ImportBatch, *, acting_user: ActingUser) -> Job:
    """Queue the undo of a committed batch; a batch not (or no longer) committed is refused
    with ``UndoRefused``. The undo itself re-checks the state under a lock when it runs."""
    with transaction.atomic():
        if _own_batch(batch, acting_user).state != BatchState.COMMITTED:
            raise UndoRefused(NOT_COMMITTED)
        return enqueue_job("import_undo", {"batch": batch.pk}, acting_user=acting_user)


def _own_batch(batch: ImportBatch, acting_user: ActingUser) -> ImportBatch:
    """The batch as stored, locked, if ``acting_user`` may change it."""
    batches = ImportBatch.objects.restrict(acting_user, "change").select_for_update()
    locked = batches.filter(pk=batch.pk).first()
    if locked is None:
        raise PermissionDenied(NOT_YOURS)
    return locked


def dry_run(
    data: bytes,
    file_name: str,
    kind: str,
    *,
    acting_user: ActingUser,
    policy: str = ImportPolicy.REJECT,
    money_unit: str = "万元",
    step: "Step | None" = None,
) -> ImportBatch:
    """What importing the file would do, as an unsaved batch (counts, problems, verdict): no
    file is stored and no row written."""
    batch = _unsaved_batch(data, file_name, kind, acting_user, policy, money_unit)
    batch.file = ContentFile(data, name=file_name)  # read from memory, never saved
    _verdict(batch, analyse(batch, step or _quiet))
    return batch


def _unsaved_batch(
    data: bytes, file_name: str, kind: str, user: ActingUser, policy: str, money_unit: str
) -> ImportBatch:
    return ImportBatch(
        kind=kind,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        user=account(user),
        policy=policy,
        money_unit=money_unit,
    )


def _quiet(message: str) -> None:
    """A step of the work done, for callers that show no progress."""


Step = Callable[[str], None]  # called as each stage ends, with what it found
STAGES = {"validate": 3, "commit": 4}  # steps reported by validate_batch and commit_batch


@gc_paused()
def analyse(batch: ImportBatch, step: Step = _quiet) -> Outcome:
    """Read, validate and plan the batch's file; writes nothing."""
    return _planned(_checked(batch, step), step)


def _checked(batch: ImportBatch, step: Step) -> Outcome:
    """The file read and every cell checked: everything that needs the file alone."""
    importer = IMPORTERS[batch.kind](batch.user)
    spec = importer.spec()
    aliases = dict(HeaderAlias.objects.filter(kind=batch.kind).values_list("alias", "column"))
    candidates = [name for c in spec.columns for name in (c.header, c.name)]
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        table = read_table(
            data,
            batch.file_name,
            header_candidates=[*candidates, *aliases],
            limits=Limits(max_bytes=upload_limit()),
        )
    except ReadError as error:
        problem = Problem(error.location, None, "", "", error.code, error.message, error.fix)
        return Outcome([problem], None, None, importer)
    step(f"已读取 {len(table.numbers):,} 行")
    mapping, problems = match_headers(
        table.sheet, table.header, spec.columns, aliases, batch.money_unit
    )
    # A refused header leaves its column unread; the others are still checked, so one report
    # lists the header problems and every row problem found without that column.
    checked = check_table(table, spec, mapping)
    step(f"已校验 {checked.frame.height:,} 行")
    return Outcome(problems + checked.problems, checked, None, importer, table)


def _planned(outcome: Outcome, step: Step) -> Outcome:
    """The references resolved and the rows compared with the database: what writing would do.

    A file with a header error is never planned (it is refused whatever the policy); its
    references are still resolved when its required columns are all there, for the report."""
    checked, table, importer = outcome.checked, outcome.table, outcome.importer
    if checked is None or table is None:
        return outcome
    header_refused = any(p.row is None and p.severity == "error" for p in outcome.problems)
    if any(p.code == "missing_column" for p in outcome.problems):
        return outcome
    problems = outcome.problems + importer.resolve(table.sheet, checked)
    problems.sort(key=lambda p: (p.row or 0, p.column))
    if header_refused:
        return Outcome(problems, checked, None, importer, table)
    planned = plan(importer, checked.frame.filter("_valid"))
    counts = planned.counts
    step(f"已与数据库比对:新增 {counts['insert']:,},更新 {counts['update']:,}")
    return Outcome(problems, checked, planned, importer, table)


def validate_batch(batch: ImportBatch, step: Step = _quiet) -> Outcome:
    """The preview: what would be inserted, updated and left unchanged, and every problem."""
    return _recorded(batch, analyse(batch, step))


def _recorded(batch: ImportBatch, outcome: Outcome) -> Outcome:
    """The outcome's counts, problems and verdict kept on the batch."""
    _verdict(batch, outcome)
    batch.save(update_fields=["counts", "problems", "state"])
    return outcome


def _verdict(batch: ImportBatch, outcome: Outcome) -> None:
    batch.counts = outcome.counts()
    batch.problems = [p.as_dict() for p in outcome.problems[:MAX_STORED_PROBLEMS]]
    refused = outcome.plan is None or (outcome.errors and batch.policy == ImportPolicy.REJECT)
    batch.state = BatchState.REFUSED if refused else BatchState.VALIDATED


@gc_paused()
def commit_batch(
    batch: ImportBatch, *, acting_user: ActingUser, step: Step = _quiet
) -> ImportBatch:
    """Write the batch under its policy, all or nothing, logged under the batch's request id.

    The file is read and checked before the write transaction opens (that needs the file alone),
    so a job's progress is seen while it happens and the database is held for less time.
    """
    checked = _checked(batch, step)
    with write_context(request_id=batch.request_id, channel="import"), transaction.atomic():
        outcome = _recorded(batch, _planned(checked, step))
        if batch.state == BatchState.REFUSED:
            return batch
        assert outcome.plan is not None
        if isinstance(outcome.importer, ActionImporter):
            outcome.importer.commit(outcome.plan.rows.filter("_changed"))
        else:
            write(outcome.importer, outcome.plan)
        batch.state, batch.committed = BatchState.COMMITTED, timezone.now()
        batch.save(update_fields=["state", "committed"])
        record_domain_event(
            "import_committed",
            summary=f"导入{batch.get_kind_display()}「{batch.file_name}」:"
            f"新增{outcome.plan.counts['insert']},更新{outcome.plan.counts['update']}",
            acting_user=acting_user,
            payload={"batch": batch.pk, **outcome.plan.counts},
        )
    step("已写入数据库")
    return batch


@gc_paused()
def undo_batch(
    batch: ImportBatch, *, acting_user: ActingUser, progress: "ProgressReport | None" = None
) -> ImportBatch:
    """Put back what the batch changed, all or nothing, unless a later write touched the same
    objects; ``progress`` hears of each chunk reverted."""
    from kaifaqu.intake.undo import revert_changes

    with write_context(channel="import"), transaction.atomic():
        # locked, so two undos of one batch (two jobs, two tabs) cannot both revert it
        state = ImportBatch.objects.select_for_update().values_list("state", flat=True)
        if state.get(pk=batch.pk) != BatchState.COMMITTED:
            raise UndoRefused(NOT_COMMITTED)
        importer = IMPORTERS[batch.kind](acting_user)
        if isinstance(importer, ActionImporter):
            importer.undo(batch.request_id, acting_user=acting_user)
        else:
            revert_changes(batch.request_id, acting_user=acting_user, progress=progress)
        batch.state, batch.undone = BatchState.UNDONE, timezone.now()
        batch.save(update_fields=["state", "undone"])
        record_domain_event(
            "import_undone",
            summary=f"撤销导入「{batch.file_name}」",
            acting_user=acting_user,
            payload={"batch": batch.pk},
        )
    return batch


class UndoRefused(Exception):
    """The batch cannot be undone; the message says why, for a clerk."""
