"""Job kinds of 招商: the nightly 红黄绿 lights (its schedule is data, ``jobs.Schedule``)."""

from typing import Any

from django.utils import timezone

from kaifaqu.investment.light_actions import refresh_lights
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import counts, job_kind

LABELS = {
    "judged": ("评价项目", "个"),
    "red": ("红灯", "个"),
    "yellow": ("黄灯", "个"),
    "newly_red": ("新亮红灯", "个"),
    "problems_opened": ("新登记受阻问题", "个"),
}


@job_kind("investment_lights", "招商项目红黄绿灯", schedulable=True, describe=counts(LABELS))
def run_lights(job: Job, progress: Progress) -> dict[str, Any]:
    progress.start(None, "正在按红黄绿灯规则评价在谈在建项目")
    result = refresh_lights(as_of=timezone.localdate(), acting_user=job.user)
    progress.advance(0, f"已评价 {result['judged']} 个项目")
    return result
