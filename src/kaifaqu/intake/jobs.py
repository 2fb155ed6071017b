"""Imports run as background jobs: a large file is validated, committed and undone with a
progress bar; uploads never imported are cleaned up nightly; a long list is exported to a file."""

import logging
import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

from kaifaqu.audit.events import record_domain_event
from kaifaqu.intake.actions import (
    STAGES,
    Step,
    UndoRefused,
    commit_batch,
    undo_batch,
    validate_batch,
)
from kaifaqu.intake.choices import BatchState
from kaifaqu.intake.exports import export_queryset, list_queryset
from kaifaqu.intake.models import ImportBatch
from kaifaqu.jobs.choices import ACTIVE_STATES
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import Fact, JobError, counted, counts, job_kind
from kaifaqu.spreadsheets.writing import to_csv, write_xlsx

logger = logging.getLogger(__name__)

# Batches never imported. A committed or undone batch keeps its record and its file: its change
# log rows, its undo and its problem report refer to them.
ABANDONED = (BatchState.UPLOADED, BatchState.VALIDATED, BatchState.REFUSED)
BATCH_JOBS = ("import_validate", "import_commit", "import_undo")


def _batch(job: Job) -> ImportBatch:
    return ImportBatch.objects.restrict(job.user).get(pk=job.params["batch"])


def _step(progress: Progress) -> Step:
    return lambda message: progress.advance(message=message)


def _finish(progress: Progress, message: str) -> None:
    """The bar full, also when a refused file skipped the later stages."""
    progress.advance((progress.job.total or 0) - progress.job.done, message)


BATCH_COUNTS = {
    "rows": ("数据行", "行"),
    "valid_rows": ("有效行", "行"),
    "invalid_rows": ("有错误的行", "行"),
    "errors": ("错误", "个"),
    "warnings": ("警告", "个"),
    "insert": ("新增", "条"),
    "update": ("更新", "条"),
    "unchanged": ("无变化", "条"),
    "reverted": ("已撤销的修改", "条"),
}


def _batch_facts(job: Job) -> list[Fact]:
    """The batch, linked, and what was found or done in it."""
    batch = ImportBatch.objects.restrict(job.user).filter(pk=job.params.get("batch")).first()
    facts = (
        [Fact("导入批次", batch.file_name, reverse("intake:batch", args=[batch.pk]))]
        if batch
        else []
    )
    return facts + counted(job.result or {}, BATCH_COUNTS)


@job_kind("import_validate", "导入文件校验", describe=_batch_facts)
def validate(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    progress.start(STAGES["validate"] + 1, f"正在读取「{batch.file_name}」")
    validate_batch(batch, _step(progress))
    _finish(progress, "校验完成" if batch.state == "validated" else "文件未通过校验")
    counts: dict[str, Any] = batch.counts
    return counts


@job_kind("import_commit", "数据导入", describe=_batch_facts)
def commit(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    progress.start(STAGES["commit"] + 1, f"正在读取「{batch.file_name}」")
    commit_batch(batch, acting_user=job.user, step=_step(progress))
    _finish(progress, "导入完成" if batch.state == "committed" else "文件未通过校验,未导入")
    counts: dict[str, Any] = batch.counts
    return counts


@job_kind("import_undo", "撤销导入", describe=_batch_facts)
def undo(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    # written now, so the page says what runs; the counts per chunk are written inside the
    # undo's transaction and seen when it commits (a terminal's bar shows them as they come)
    progress.start(None, f"正在撤销「{batch.file_name}」")
    try:
        undo_batch(batch, acting_user=job.user, progress=progress)
    except UndoRefused as refusal:
        raise JobError(str(refusal)) from refusal  # the job's error, shown on the batch page
    progress.advance(0, "撤销完成")
    return {"batch": batch.pk, "reverted": progress.job.done}


@job_kind(
    "import_cleanup",
    "清理废弃的导入文件",
    schedulable=True,
    describe=counts({"discarded": ("已清理的文件", "个")}),
)
def clean_up_abandoned_uploads(job: Job, progress: Progress) -> dict[str, Any]:
    """Delete the batches never imported that were uploaded more than
    ``KAIFAQU_ABANDONED_UPLOAD_DAYS`` ago, with their files, and record which in a domain event.

    The record goes with its file, since a batch without its file could be neither previewed nor
    imported; a batch a job still works on is left alone, and each delete checks the state again,
    so a batch imported meanwhile stays.
    """
    days = settings.KAIFAQU_ABANDONED_UPLOAD_DAYS
    cutoff = timezone.now() - timedelta(days=days)
    busy = Job.objects.filter(kind__in=BATCH_JOBS, state__in=ACTIVE_STATES)
    batches = list(
        ImportBatch.objects.restrict(job.user)
        .filter(state__in=ABANDONED, created__lt=cutoff)
        .exclude(pk__in=set(busy.values_list("params__batch", flat=True)))
        .order_by("pk")
    )
    progress.start(len(batches), f"{len(batches)} 个上传超过 {days} 天未导入的文件")
    discarded = []
    for batch in batches:
        if _discard(batch):
            discarded.append({"batch": batch.pk, "file_name": batch.file_name})
        progress.advance(message=f"已清理:{batch.file_name}")
    if discarded:
        record_domain_event(
            "import_uploads_discarded",
            summary=f"清理上传超过 {days} 天未导入的文件 {len(discarded)} 个",
            acting_user=job.user,
            payload={"days": days, "batches": discarded},
        )
    logger.info("discarded %d abandoned uploads", len(discarded))
    return {"discarded": len(discarded)}


def _discard(batch: ImportBatch) -> bool:
    """Delete the batch if it is still not imported, then its file (the record first: a file
    left behind by a failure is harmless, a batch without its file is not)."""
    deleted, _ = ImportBatch.objects.filter(pk=batch.pk, state__in=ABANDONED).delete()
    if deleted and batch.file:
        batch.file.delete(save=False)
    return bool(deleted)


@job_kind("list_export", "列表导出")
def export_list(job: Job, progress: Progress) -> dict[str, Any]:
    """A list too long to export in a web request, written to the job's file.

    The list is the one the export page showed: its filters (``params["query"]``) and the scope
    of the user who asked for it.
    """
    request = HttpRequest()
    request.user = job.user
    request.GET = QueryDict(job.params["query"])
    queryset = list_queryset(job.params["kind"], request)
    progress.start(queryset.count(), "正在导出")
    spec, rows = export_queryset(job.params["kind"], queryset)
    counted = _counted(rows, progress)
    with tempfile.TemporaryFile() as file:  # written row by row, never whole in memory
        if request.GET.get("format") == "csv":
            name = f"{spec.sheet}.csv"
            file.writelines(chunk.encode() for chunk in to_csv(spec, counted))
        else:
            name = f"{spec.sheet}.xlsx"
            write_xlsx(spec, counted, file)
        job.result_file.save(name, File(file), save=False)
    # the name as the list has it; the storage may have added a suffix to keep files apart
    return {"行数": progress.job.done, "文件": name}


def _counted(rows: Iterable[list[Any]], progress: Progress) -> Iterator[list[Any]]:
    for row in rows:
        progress.advance()
        yield row
