"""Job kinds: each app registers its own in its ``jobs.py``.

>>> @job_kind("zone_summaries", "开发区年度汇总表更新")
... def refresh(job, progress): ...
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kaifaqu.jobs.models import Job
    from kaifaqu.jobs.progress import Progress

JobFunction = Callable[["Job", "Progress"], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    run: JobFunction


JOB_KINDS: dict[str, JobKind] = {}


def job_kind(code: str, label: str) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        JOB_KINDS[code] = JobKind(code=code, label=label, run=function)
        return function

    return register


class JobError(Exception):
    """A failure to report to the user as it is: the message is written for a clerk."""
