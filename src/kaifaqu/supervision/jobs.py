"""Job kinds of supervision: the nightly escalation (its schedule is data, ``jobs.Schedule``)."""

from typing import Any

from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind
from kaifaqu.supervision.actions import escalate


@job_kind("supervision_escalation", "督办事项逾期升级", schedulable=True)
def run_escalation(job: Job, progress: Progress) -> dict[str, Any]:
    progress.start(None, "正在按升级规则检查逾期事项")
    counts = escalate(acting_user=job.user)
    progress.advance(0, ";".join(f"{rule} {n} 项" for rule, n in counts.items()) or "无升级规则")
    return counts
