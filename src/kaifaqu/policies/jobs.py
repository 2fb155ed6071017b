"""Job kinds of policy tasks: the nightly opening of recurring tasks' reports and escalation of
the overdue ones (its schedule is data, ``jobs.Schedule``)."""

from typing import Any

from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind
from kaifaqu.policies.actions import escalate_reports, open_reports


@job_kind("policy_reports", "政策任务定期报送", schedulable=True)
def run_open_reports(job: Job, progress: Progress) -> dict[str, Any]:
    progress.start(None, "正在为定期报送的政策任务开启本期填报,检查逾期未报")
    count = open_reports(acting_user=job.user)
    escalated = escalate_reports(acting_user=job.user)
    reached = ";".join(f"{rule} {n} 项" for rule, n in escalated.items())
    progress.advance(0, f"开启 {count} 期填报;逾期未报升级:{reached or '无升级规则'}")
    return {"opened": count, **escalated}
