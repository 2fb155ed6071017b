"""Job kinds of service requests: the daily automatic 办结 of requests left unrated (its
schedule is data, ``jobs.Schedule``, created by this app's migration)."""

from typing import Any

from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import job_kind
from kaifaqu.servicerequests.actions import auto_close


@job_kind("servicerequests_auto_close", "逾期未评价诉求自动办结", schedulable=True)
def run_auto_close(job: Job, progress: Progress) -> dict[str, Any]:
    progress.start(None, "正在办结逾期未评价的诉求")
    count = auto_close(acting_user=job.user)
    progress.advance(0, f"自动办结 {count} 件")
    return {"auto_closed": count}
