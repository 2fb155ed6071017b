"""Job kinds of policy tasks: the nightly opening of recurring tasks' reports (its schedule is
data, ``jobs.Schedule``)."""

from typing import Any

from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind
from kaifaqu.policies.actions import open_reports


@job_kind("policy_reports", "政策任务定期报送", schedulable=True)
def run_open_reports(job: Job, progress: Progress) -> dict[str, Any]:
    progress.start(None, "正在为定期报送的政策任务开启本期填报")
    count = open_reports(acting_user=job.user)
    progress.advance(0, f"开启 {count} 期填报")
    return {"opened": count}
