"""Imports run as background jobs: a large file is validated and committed with a progress bar."""

from typing import Any

from kaifaqu.intake.actions import commit_batch, validate_batch
from kaifaqu.intake.models import ImportBatch
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind


def _batch(job: Job) -> ImportBatch:
    return ImportBatch.objects.restrict(job.user).get(pk=job.params["batch"])


@job_kind("import_validate", "导入文件校验")
def validate(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    progress.start(2, f"正在读取并校验「{batch.file_name}」")
    validate_batch(batch)
    progress.advance(2, "校验完成")
    return batch.counts


@job_kind("import_commit", "数据导入")
def commit(job: Job, progress: Progress) -> dict[str, Any]:
    batch = _batch(job)
    progress.start(2, f"正在导入「{batch.file_name}」")
    commit_batch(batch, acting_user=job.user)
    progress.advance(2, "导入完成" if batch.state == "committed" else "文件未通过校验,未导入")
    return batch.counts
