"""Imports run as background jobs: a large file is validated and committed with a progress bar."""

from typing import Any

from kaifaqu.intake.actions import STAGES, Step, commit_batch, validate_batch
from kaifaqu.intake.models import ImportBatch
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind


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
