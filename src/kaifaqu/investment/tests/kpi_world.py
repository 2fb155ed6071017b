"""A hand-made set of projects whose KPIs are worked out by hand in test_kpis.py."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kaifaqu.investment.choices import ChangeKind, Stage
from kaifaqu.investment.models import AnnualPlan, FundArrival, Project, StageChange

LINE = [Stage.LEAD, Stage.RESERVE, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED,
        Stage.STARTED, Stage.PRODUCING]  # fmt: skip


def make_project(
    zone: Any, code: str, moves: list[tuple[str, date]], amount: int, **fields: Any
) -> Project:
    """A project whose history is ``moves`` (stage, date), each from the one before."""
    stage, entered = moves[-1] if moves else (Stage.LEAD, date(2024, 1, 1))
    project = Project.objects.create(
        zone=zone, code=code, name=f"项目{code}", stage=stage, stage_entered=entered,
        total_investment=Decimal(amount), **fields,
    )  # fmt: skip
    before = str(Stage.LEAD)
    for to_stage, on in moves:
        StageChange.objects.create(
            project=project, from_stage=before, to_stage=to_stage, occurred_on=on,
            recorded_at=timezone.now(),
        )  # fmt: skip
        before = to_stage
    return project


def world(zones: dict[str, Any]) -> dict[str, Project]:
    east, west = zones["east"], zones["west"]
    d = date
    p = {
        "A": make_project(
            east, "A",
            [(Stage.RESERVE, d(2024, 6, 1)), (Stage.SIGNED, d(2025, 3, 1)),
             (Stage.STARTED, d(2025, 8, 1)), (Stage.PRODUCING, d(2025, 11, 1))],
            600_000, leading_industry=True, planned_start_date=d(2025, 7, 1),
        ),
        "B": make_project(
            east, "B",
            [(Stage.RESERVE, d(2025, 2, 1)), (Stage.SIGNED, d(2025, 12, 10)),
             (Stage.STARTED, d(2026, 1, 5))],
            12_000, planned_start_date=d(2025, 12, 31),
        ),
        "C": make_project(
            east, "C", [(Stage.RESERVE, d(2025, 4, 1)), (Stage.NEGOTIATING, d(2025, 6, 1))], 5_000
        ),
        "D": make_project(
            east, "D", [(Stage.RESERVE, d(2025, 5, 1)), (Stage.SIGNED, d(2026, 2, 1))], 30_000
        ),
        "E": make_project(
            west, "E",
            [(Stage.RESERVE, d(2025, 1, 10)), (Stage.SIGNED, d(2025, 5, 1)),
             (Stage.STARTED, d(2025, 6, 1))],
            200_000, leading_industry=True, planned_start_date=d(2025, 6, 30),
        ),
        "F": make_project(
            east, "F", [(Stage.RESERVE, d(2024, 3, 1)), (Stage.TERMINATED, d(2024, 9, 1))], 9_000
        ),
        "G": make_project(
            east, "G", [(Stage.RESERVE, d(2025, 3, 1)), (Stage.SIGNED, d(2025, 4, 1))], 8_000
        ),
        "H": make_project(
            east, "H",
            [(Stage.RESERVE, d(2024, 1, 1)), (Stage.SIGNED, d(2024, 5, 1)),
             (Stage.STARTED, d(2025, 2, 1))],
            20_000,
        ),
    }  # fmt: skip
    # G's signing was undone: an undo entry going back, pointing at the entry it reverses.
    signing = StageChange.objects.get(project=p["G"], to_stage=Stage.SIGNED)
    StageChange.objects.create(
        project=p["G"], kind=ChangeKind.UNDO, from_stage=Stage.SIGNED, to_stage=Stage.RESERVE,
        occurred_on=d(2025, 4, 2), recorded_at=timezone.now(), reverses=signing,
    )  # fmt: skip
    Project.objects.filter(pk=p["G"].pk).update(stage=Stage.RESERVE, stage_entered=d(2025, 3, 1))
    AnnualPlan.objects.create(project=p["A"], year=2025, planned_investment=Decimal(1000))
    AnnualPlan.objects.create(project=p["E"], year=2025, planned_investment=Decimal(500))
    for project, on, amount in [
        (p["A"], d(2025, 5, 1), 400), (p["A"], d(2024, 12, 1), 100),
        (p["E"], d(2025, 7, 1), 100), (p["B"], d(2025, 12, 20), 50),
    ]:  # fmt: skip
        FundArrival.objects.create(project=project, arrived_on=on, amount=Decimal(amount))
    return p
