"""Starting, running and reaping jobs. The worker and the CLI run jobs through ``run_job``."""

import hashlib
import json
import logging
import os
import socket
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from kaifaqu.access.users import ActingUser, account
from kaifaqu.audit.context import current_context, write_context
from kaifaqu.core.policy import access_policy
from kaifaqu.jobs.choices import ACTIVE_STATES, JobState
from kaifaqu.jobs.models import Job, WorkerBeat
from kaifaqu.jobs.progress import Echo, Progress
from kaifaqu.jobs.registry import JOB_KINDS, JobError

logger = logging.getLogger(__name__)
# One line per job run, which the JSON log formatter writes to stdout (ops/logs.py).
run_log = logging.getLogger("kaifaqu.jobs.runs")

INTERNAL_ERROR = "任务执行时发生内部错误({name}),结果未保存。请稍后重试,如仍失败请联系系统管理员。"
WORKER_LOST = "后台任务进程意外中断,任务未完成,结果未保存。请重新提交。"


def job_key(kind: str, params: dict[str, Any], user_id: int) -> str:
    """Jobs are idempotent, keyed by what they compute (which depends on the owner's scope)."""
    payload = json.dumps(
        {"kind": kind, "params": params, "user": user_id}, sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def create_job(kind: str, params: dict[str, Any], *, acting_user: ActingUser) -> tuple[Job, bool]:
    """The job computing ``kind`` with ``params``: an active identical one, or a new queued one."""
    if kind not in JOB_KINDS:
        raise JobError(f"未知的任务类型:{kind}")
    user = account(acting_user)
    key = job_key(kind, params, user.pk)
    with transaction.atomic():
        existing = (
            Job.objects.restrict(acting_user).filter(key=key, state__in=ACTIVE_STATES).first()
        )
        if existing is not None:
            return existing, False
        job = Job.objects.create(
            kind=kind,
            key=key,
            params=params,
            user=user,
            request_id=current_context().request_id,
        )
    return job, True


def enqueue_job(kind: str, params: dict[str, Any], *, acting_user: ActingUser) -> Job:
    """Queue a job for the background worker (once the surrounding transaction commits)."""
    job, created = create_job(kind, params, acting_user=acting_user)
    if created:
        transaction.on_commit(lambda: run_job_task.enqueue(str(job.pk)))
    return job


@task()
def run_job_task(job_id: str) -> None:
    run_job(Job.objects.get(pk=job_id))


def run_job(job: Job, echo: Echo | None = None) -> Job:
    """Run ``job`` here and now; a failure is recorded on the job, never raised."""
    kind = JOB_KINDS[job.kind]
    now = timezone.now()
    began = time.monotonic()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started=now, heartbeat=now)
    job.state = JobState.RUNNING
    channel = "cli" if echo is not None else "job"
    try:
        with write_context(request_id=job.request_id, channel=channel):
            result = kind.run(job, Progress(job, echo))
    except JobError as error:
        _finish(job, JobState.FAILED, error=str(error))
    except Exception as error:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobState.FAILED, error=INTERNAL_ERROR.format(name=type(error).__name__))
    else:
        _finish(job, JobState.SUCCEEDED, result=result)
    _log_run(job, channel, time.monotonic() - began)
    return job


def _log_run(job: Job, channel: str, seconds: float) -> None:
    run_log.info(
        "job %s %s",
        job.kind,
        job.state,
        extra={
            "event": {
                "kind": "job",
                "user_id": job.user_id,
                "role": access_policy().role_label(job.user),
                "request_id": str(job.request_id),
                "path": f"job:{job.kind}",
                "job_id": str(job.pk),
                "channel": channel,
                "status": job.state,
                "duration_ms": round(seconds * 1000, 1),
            }
        },
    )


def _finish(job: Job, state: JobState, *, error: str = "", result: Any = None) -> None:
    job.state, job.error, job.result, job.finished = state, error, result, timezone.now()
    job.save(update_fields=["state", "error", "result", "finished", "result_file"])


def reap_stale_jobs() -> int:
    """Mark running jobs whose worker stopped reporting as failed; returns how many."""
    cutoff = timezone.now() - timedelta(seconds=settings.KAIFAQU_JOB_STALE_SECONDS)
    return Job.objects.filter(state=JobState.RUNNING, heartbeat__lt=cutoff).update(
        state=JobState.FAILED, error=WORKER_LOST, finished=timezone.now()
    )


def record_worker_beat(worker_id: str) -> None:
    """Say that worker ``worker_id`` is alive now; forget workers silent for a day (stopped)."""
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname(), "pid": os.getpid(), "seen": now},
    )
    WorkerBeat.objects.filter(seen__lt=now - timedelta(days=1)).delete()


def last_worker_beat() -> datetime | None:
    """When a worker was last heard from (None if never)."""
    return WorkerBeat.objects.order_by("-seen").values_list("seen", flat=True).first()
