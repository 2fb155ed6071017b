"""Job kinds: each app registers its own in its ``jobs.py``.

>>> @job_kind("zone_summaries", "开发区年度汇总表更新", schedulable=True)
... def refresh(job, progress): ...

A schedulable kind takes no parameters and may run on a schedule (``Schedule``, kept in the admin),
as the built-in system account; when it runs is data, whether it may is code.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from kaifaqu.core.numbers import format_count

if TYPE_CHECKING:
    from kaifaqu.jobs.models import Job
    from kaifaqu.jobs.progress import Progress

JobFunction = Callable[["Job", "Progress"], dict[str, Any]]


class Fact(NamedTuple):
    """One line of what a finished job did, as its page shows it: 评价批次 → the run, linked."""

    label: str
    text: str
    url: str = ""


Describer = Callable[["Job"], list[Fact]]
_IDENTIFIER = re.compile(r"[A-Za-z0-9_]+")


def chinese_entries(job: "Job") -> list[Fact]:
    """The result's entries a person can read as they are (Chinese keys, plain values); a kind
    whose result holds ids, codes or paths says what they mean with its own ``describe``."""
    return [
        Fact(key, str(value))
        for key, value in (job.result or {}).items()
        if not _IDENTIFIER.fullmatch(key) and isinstance(value, str | int | float)
    ]


def counted(result: dict[str, Any], labels: dict[str, tuple[str, str]]) -> list[Fact]:
    """The result's counts that ``labels`` names (key → label and measure word), in its order."""
    return [
        Fact(label, f"{format_count(result[key])} {unit}".rstrip())
        for key, (label, unit) in labels.items()
        if isinstance(result.get(key), int | float)
    ]


def counts(labels: dict[str, tuple[str, str]]) -> Describer:
    """A kind's ``describe`` that lists the counts its result holds."""
    return lambda job: counted(job.result or {}, labels)


@dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    run: JobFunction
    schedulable: bool = False
    describe: Describer = chinese_entries


JOB_KINDS: dict[str, JobKind] = {}


def job_kind(
    code: str, label: str, *, schedulable: bool = False, describe: Describer = chinese_entries
) -> Callable[[JobFunction], JobFunction]:
    def register(function: JobFunction) -> JobFunction:
        JOB_KINDS[code] = JobKind(code, label, function, schedulable, describe)
        return function

    return register


def schedulable_kinds() -> list[tuple[str, str]]:
    """The kinds a schedule may run, as choices (code, label)."""
    return sorted((kind.code, kind.label) for kind in JOB_KINDS.values() if kind.schedulable)


class JobError(Exception):
    """A failure to report to the user as it is: the message is written for a clerk."""
