"""Imports run as background jobs: a large file is validated, committed and undone with a
progress bar."""

from typing import Any

from kaifaqu.intake.actions import (
    STAGES,
    Step,
    UndoRefused,
    commit_batch,
    undo_batch,
    validate_batch,
)
from kaifaqu.intake.models import ImportBatch
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import JobError, job_kind


def _batch(job: Job) -> ImportBatch:
    return ImportBatch.objects.restrict(job.user).get(pk=job.params["batch"])


def _step(progress: Progress) -> Step:
    return lambda message: progress.advance(message=message)


def _finish(progress: Progress, message: str) -> None:
    """The bar full, also when a refused file skipped the later stages."""
    progress.advance((progress.job.total or 0) - progress.job.done, message)


@job_kind("import_validate", "导入文件校验")
def validate(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    progress.start(STAGES["validate"] + 1, f"正在读取「{batch.file_name}」")
    validate_batch(batch, _step(progress))
    _finish(progress, "校验完成" if batch.state == "validated" else "文件未通过校验")
    return batch.counts


@job_kind("import_commit", "数据导入")
def commit(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    progress.start(STAGES["commit"] + 1, f"正在读取「{batch.file_name}」")
    commit_batch(batch, acting_user=job.user, step=_step(progress))
    _finish(progress, "导入完成" if batch.state == "committed" else "文件未通过校验,未导入")
    return batch.counts


@job_kind("import_undo", "撤销导入")
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
