"""Every KPI on the hand-made set of kpi_world.py, with the answers worked out by hand."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kaifaqu.investment import kpis
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.kpi_models import Kpi, KpiTarget, ProjectSizeFloor
from kaifaqu.investment.models import Project, StageChange
from kaifaqu.investment.tests.kpi_world import make_project, world

pytestmark = pytest.mark.django_db
YEAR_2025 = kpis.Period.year(2025, as_of=date(2026, 3, 1))


@pytest.fixture
def projects(province: dict[str, Any]) -> dict[str, Project]:
    return world(province["zones"])


def _all(period: kpis.Period = YEAR_2025) -> dict[str, Any]:
    data = kpis.compute(Project.objects.all(), period)
    return kpis.table(data, period, None).row(0, named=True)


def _behind(figure: str, part: str, **group: Any) -> set[str]:
    found = kpis.projects_behind(Project.objects.all(), YEAR_2025, figure, part, **group)
    return set(found.values_list("code", flat=True))


def test_sign_conversion_period_and_cohort_views_differ(projects: dict[str, Project]) -> None:
    row = _all()
    # In the pool during 2025: A (since 2024), B, C, D, E, G; F left it in 2024, H signed in 2024.
    assert _behind(Kpi.SIGN_CONVERSION_PERIOD, "den") == {"A", "B", "C", "D", "E", "G"}
    # Signed in 2025: A, B, E (G's signing was undone).
    assert _behind(Kpi.SIGN_CONVERSION_PERIOD, "num") == {"A", "B", "E"}
    assert kpis.rate(row["sign_conversion_period:num"], row["sign_conversion_period:den"]) == 50.0
    # Entered the pool in 2025: B, C, D, E, G; of them signed by 2026-03-01: B, D, E.
    assert _behind(Kpi.SIGN_CONVERSION_COHORT, "den") == {"B", "C", "D", "E", "G"}
    assert _behind(Kpi.SIGN_CONVERSION_COHORT, "num") == {"B", "D", "E"}
    assert kpis.rate(row["sign_conversion_cohort:num"], row["sign_conversion_cohort:den"]) == 60.0


def test_leading_share_and_same_year_start(projects: dict[str, Project]) -> None:
    row = _all()
    assert (row["leading_share:num"], row["leading_share:den"]) == (2, 3)
    # B signed on 2025-12-10 and started on 2026-01-05: not a 2025 same-year start.
    assert _behind(Kpi.SAME_YEAR_START, "num") == {"A", "E"}
    assert (row["same_year_start:num"], row["same_year_start:den"]) == (2, 3)
    # ... but it counts for 2026's start rate.
    row_2026 = _all(kpis.Period.year(2026, as_of=date(2026, 3, 1)))
    assert (row_2026["start_rate:num"], row_2026["start_rate:den"]) == (4, 5)


def test_start_production_fulfilment_and_funds(projects: dict[str, Project]) -> None:
    row = _all()
    assert _behind(Kpi.START_RATE, "den") == {"A", "B", "E", "H"}
    assert (row["start_rate:num"], row["start_rate:den"]) == (3, 4)
    assert (row["production_rate:num"], row["production_rate:den"]) == (1, 3)
    # Planned start in 2025: A (late), B (late), E (on time).
    assert _behind(Kpi.FULFILMENT_RATE, "num") == {"E"}
    assert row["fulfilment_rate:den"] == 3
    # 400 (A, 2025) + 100 (E) against 1 000 + 500 planned; A's 2024 funds and B (no plan) left out.
    assert (row["funds_arrived"], row["funds_planned"]) == (500.0, 1500.0)
    assert kpis.rate(row["funds_arrived"], row["funds_planned"]) == 33.3


def test_large_projects_and_floors_per_zone_kind(
    projects: dict[str, Project], province: dict[str, Any]
) -> None:
    row = _all()
    assert (row["over_100m:count"], row["over_5bn:count"]) == (3, 1)
    national = ProjectSizeFloor.objects.get(zone_kind="national_etdz")
    provincial = ProjectSizeFloor.objects.get(zone_kind="provincial_edz")
    data = kpis.compute(Project.objects.all(), YEAR_2025)
    zones = {r["key"]: r for r in kpis.table(data, YEAR_2025, "zone").iter_rows(named=True)}
    east, west = province["zones"]["east"].pk, province["zones"]["west"].pk
    assert zones[east][f"floor:{national.pk}"] == 1
    # E is exactly 200 000 万元: 超20亿 excludes the number.
    assert zones[west][f"floor:{provincial.pk}"] == 0
    provincial.inclusive = True
    provincial.save()
    data = kpis.compute(Project.objects.all(), YEAR_2025)
    zones = {r["key"]: r for r in kpis.table(data, YEAR_2025, "zone").iter_rows(named=True)}
    assert zones[west][f"floor:{provincial.pk}"] == 1


def test_days_in_stage_stalled_and_weighted_pipeline(projects: dict[str, Project]) -> None:
    row = _all()
    # Open on 2026-03-01: A 120, B 55, C 273, D 28, E 273, G 365, H 393 days in their stage.
    assert row["days_median"] == 273.0
    assert row["days_p90"] == pytest.approx(365 + 0.4 * 28)
    # Over the expected days: C (洽谈 120), G (储备 90), H (开工 365).
    assert _behind(kpis.STALLED, "count") == {"C", "G", "H"}
    # The settings' probabilities: 1 for 投产/开工, 0.75 签约, 0.35 洽谈, 0.15 储备.
    expected = 600_000 + 12_000 + 0.35 * 5_000 + 0.75 * 30_000 + 200_000 + 0.15 * 8_000 + 20_000
    assert row["weighted_pipeline"] == pytest.approx(expected)


def test_empirical_probability_after_thirty_exits(province: dict[str, Any]) -> None:
    zone = province["zones"]["east"]
    for n in range(30):
        moves = [(Stage.NEGOTIATING, date(2025, 1, 1)), (Stage.SIGNED, date(2025, 2, 1))]
        if n % 3 == 0:
            moves += [(Stage.REGISTERED, date(2025, 3, 1)), (Stage.STARTED, date(2025, 4, 1))]
        make_project(zone, f"N{n}", moves, 100)
    found = kpis.probabilities(kpis.frame(Project.objects.all(), YEAR_2025))
    assert found[Stage.NEGOTIATING] == pytest.approx(10 / 30)
    assert found[Stage.RESERVE] == 0.15
    StageChange.objects.filter(project__code="N0", to_stage=Stage.SIGNED).delete()
    data = kpis.frame(Project.objects.all(), YEAR_2025)
    assert kpis.probabilities(data)[Stage.NEGOTIATING] == 0.35


def test_groups_and_drill_down_agree(
    projects: dict[str, Project], province: dict[str, Any]
) -> None:
    data = kpis.compute(Project.objects.all(), YEAR_2025)
    west = province["zones"]["west"].pk
    for row in kpis.table(data, YEAR_2025, "zone").iter_rows(named=True):
        behind = kpis.projects_behind(
            Project.objects.all(), YEAR_2025, Kpi.SIGN_CONVERSION_PERIOD, "num", "zone", row["key"]
        )
        assert behind.count() == row["sign_conversion_period:num"]
    assert _behind(Kpi.SIGN_CONVERSION_PERIOD, "num", by="zone", key=west) == {"E"}
    cities = kpis.table(data, YEAR_2025, "city")
    assert cities["projects"].sum() == 8


def test_targets_fall_back_to_the_standards(province: dict[str, Any]) -> None:
    east = province["zones"]["east"]
    KpiTarget.objects.create(zone=east, year=2025, kpi=Kpi.LEADING_SHARE, value=Decimal(40))
    found = kpis.targets([east.pk], 2025)
    assert found[(east.pk, Kpi.LEADING_SHARE)] == Decimal(40)
    assert found[(None, Kpi.SIGN_CONVERSION_PERIOD)] == Decimal(50)


def test_a_query_known_to_be_empty_gives_an_empty_frame(projects: dict[str, Project]) -> None:
    # a user who may see no project (an enterprise user) restricts to ``none()``, which
    # PostgreSQL's COPY path cannot even render as SQL
    assert kpis.compute(Project.objects.none(), YEAR_2025).height == 0
    assert kpis.compute(Project.objects.filter(zone__in=[]), YEAR_2025).height == 0
