"""What a corrected revision changed against the run it supersedes, enterprise by enterprise."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from kaifaqu.mujun.choices import ResultStatus
from kaifaqu.mujun.models import EvaluationResult, shown_grade

FIELDS = (
    "enterprise_id",
    "enterprise__uscc",
    "enterprise__name",
    "zone__name",
    "grade",
    "managed_grade",
    "total",
    "pool_rank",
    "status",
)
ADDED, REMOVED, CHANGED = "新增", "移除", "变更"


@dataclass(frozen=True)
class Outcome:
    """An enterprise's result in one revision, as the published list shows it."""

    grade: str
    total: Decimal | None
    rank: int | None
    status: str

    @property
    def status_label(self) -> str:
        return str(ResultStatus(self.status).label)


@dataclass(frozen=True)
class Change:
    uscc: str
    name: str
    zone: str
    kind: str  # ADDED, REMOVED or CHANGED
    before: Outcome | None
    after: Outcome | None

    @property
    def fields(self) -> list[str]:
        """The names of what changed (every field for an added or removed enterprise)."""
        if self.before is None or self.after is None:
            return ["等级", "总分", "排名", "状态"]
        pairs = {
            "等级": (self.before.grade, self.after.grade),
            "总分": (self.before.total, self.after.total),
            "排名": (self.before.rank, self.after.rank),
            "状态": (self.before.status, self.after.status),
        }
        return [name for name, (old, new) in pairs.items() if old != new]


def revision_changes(
    old: QuerySet[EvaluationResult], new: QuerySet[EvaluationResult]
) -> list[Change]:
    """Enterprises whose grade, total, rank or status differ between two revisions' results,
    and those only one of them holds; in the new revision's order, removed ones last."""
    before = _outcomes(old)
    after = _outcomes(new)
    changes = []
    for enterprise_id, (identity, outcome) in after.items():
        previous = before.get(enterprise_id)
        if previous is None:
            changes.append(Change(*identity, kind=ADDED, before=None, after=outcome))
        elif previous[1] != outcome:
            changes.append(Change(*identity, kind=CHANGED, before=previous[1], after=outcome))
    for enterprise_id, (identity, outcome) in before.items():
        if enterprise_id not in after:
            changes.append(Change(*identity, kind=REMOVED, before=outcome, after=None))
    return changes


def _outcomes(
    results: QuerySet[EvaluationResult],
) -> dict[int, tuple[tuple[str, str, str], Outcome]]:
    rows = results.order_by("zone__code", "pool", "pool_rank", "id").values_list(*FIELDS)
    return {
        enterprise_id: (
            (uscc, name, zone),
            Outcome(shown_grade(grade, managed), total, rank, status),
        )
        for enterprise_id, uscc, name, zone, grade, managed, total, rank, status in rows.iterator(
            chunk_size=5000
        )
    }
