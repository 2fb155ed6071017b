"""Job kinds: each app registers its own in its ``jobs.py``.

>>> @job_kind("zone_summaries", "开发区年度汇总表更新", schedulable=True)
... def refresh(job, progress): ...

A schedulable kind takes no parameters and may run on a schedule (``Schedule``, kept in the admin),
as the built-in system account; when it runs is data, whether it may is code.
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
    schedulable: bool = False


JOB_KINDS: dict[str, JobKind] = {}


def job_kind(
    code: str, label: str, *, schedulable: bool = False
) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        JOB_KINDS[code] = JobKind(code=code, label=label, run=function, schedulable=schedulable)
        return function

    return register


def schedulable_kinds() -> list[tuple[str, str]]:
    """The kinds a schedule may run, as choices (code, label)."""
    return sorted((kind.code, kind.label) for kind in JOB_KINDS.values() if kind.schedulable)


class JobError(Exception):
    """A failure to report to the user as it is: the message is written for a clerk."""
