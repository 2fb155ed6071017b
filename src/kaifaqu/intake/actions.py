"""Import actions: validate and plan (preview), commit with a policy, undo. One import = one batch
= one request id, so "everything this import changed" is one query on the change log."""

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kaifaqu.audit.context import write_context
from kaifaqu.audit.events import record_domain_event
from kaifaqu.intake.choices import BatchState, ImportPolicy
from kaifaqu.intake.headers import match_headers
from kaifaqu.intake.importers import IMPORTERS, Importer
from kaifaqu.intake.models import HeaderAlias, ImportBatch
from kaifaqu.intake.problems import Problem
from kaifaqu.intake.reading import ReadError, Table, read_table
from kaifaqu.intake.validation import Checked, check_table
from kaifaqu.intake.writing import Plan, plan, write

if TYPE_CHECKING:
    from kaifaqu.intake.undo import ProgressReport

MAX_STORED_PROBLEMS = 10_000
NOT_COMMITTED = "只有已导入的批次可以撤销"


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
    acting_user: Any,
    policy: str = ImportPolicy.REJECT,
    money_unit: str = "万元",
) -> ImportBatch:
    batch = ImportBatch(
        kind=kind,
        file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest(),
        user=acting_user,
        policy=policy,
        money_unit=money_unit,
    )
    batch.file.save(file_name, ContentFile(data), save=False)
    batch.save()
    return batch


def analyse(batch: ImportBatch) -> Outcome:
    """Read, validate and plan the batch's file; writes nothing."""
    importer = IMPORTERS[batch.kind](batch.user)
    spec = importer.spec()
    aliases = dict(HeaderAlias.objects.filter(kind=batch.kind).values_list("alias", "column"))
    candidates = [name for c in spec.columns for name in (c.header, c.name)]
    with batch.file.open("rb") as handle:
        data = handle.read()
    try:
        table = read_table(data, batch.file_name, header_candidates=[*candidates, *aliases])
    except ReadError as error:
        problem = Problem(error.location, None, "", "", error.code, error.message, error.fix)
        return Outcome([problem], None, None, importer)
    mapping, problems = match_headers(
        table.sheet, table.header, spec.columns, aliases, batch.money_unit
    )
    if any(p.severity == "error" for p in problems):
        return Outcome(problems, None, None, importer, table)
    checked = check_table(table, spec, mapping)
    problems += checked.problems + importer.resolve(table.sheet, checked)
    problems.sort(key=lambda p: (p.row or 0, p.column))
    valid = checked.frame.filter("_valid")
    return Outcome(problems, checked, plan(importer, valid), importer, table)


def validate_batch(batch: ImportBatch) -> Outcome:
    """The preview: what would be inserted, updated and left unchanged, and every problem."""
    outcome = analyse(batch)
    batch.counts = outcome.counts()
    batch.problems = [p.as_dict() for p in outcome.problems[:MAX_STORED_PROBLEMS]]
    refused = outcome.plan is None or (outcome.errors and batch.policy == ImportPolicy.REJECT)
    batch.state = BatchState.REFUSED if refused else BatchState.VALIDATED
    batch.save(update_fields=["counts", "problems", "state"])
    return outcome


def commit_batch(batch: ImportBatch, *, acting_user: Any) -> ImportBatch:
    """Write the batch under its policy, all or nothing, logged under the batch's request id."""
    with write_context(request_id=batch.request_id, channel="import"), transaction.atomic():
        outcome = validate_batch(batch)
        if batch.state == BatchState.REFUSED:
            return batch
        assert outcome.plan is not None
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
    return batch


def undo_batch(
    batch: ImportBatch, *, acting_user: Any, progress: "ProgressReport | None" = None
) -> ImportBatch:
    """Put back what the batch changed, all or nothing, unless a later write touched the same
    objects; ``progress`` hears of each chunk reverted."""
    from kaifaqu.intake.undo import revert_changes

    with write_context(channel="import"), transaction.atomic():
        # locked, so two undos of one batch (two jobs, two tabs) cannot both revert it
        state = ImportBatch.objects.select_for_update().values_list("state", flat=True)
        if state.get(pk=batch.pk) != BatchState.COMMITTED:
            raise UndoRefused(NOT_COMMITTED)
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
