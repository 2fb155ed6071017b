"""Targets: rank targets (进位目标) through the action, actual ranks from the runs, projection;
indicator targets' projection for a cost indicator and with too few actuals."""

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from docx import Document

from kaifaqu.assessment.actions import set_rank_target, set_target, start_run
from kaifaqu.assessment.models import AssessmentRun, RankTarget
from kaifaqu.assessment.profile import build_profile, rank_target_progress, target_progress
from kaifaqu.assessment.reports import report_docx
from kaifaqu.assessment.tests.conftest import finish, preset, put, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db


def provincial_run(zones: dict[str, Zone], year: int, east_as: str, user: Any) -> AssessmentRun:
    """A run of ``year`` where the east zone takes the values of ``east_as`` (and that zone the
    east zone's): the hand-computed case ranks east 3rd, east_htz 1st, west 2nd."""
    swapped = dict(zones)
    swapped[east_as], swapped["east"] = zones["east"], zones[east_as]
    seed_provincial(swapped, year)
    version = preset("provincial_six").latest()
    return finish(start_run(version, year=year, replications=0, acting_user=user))


def national_run(zones: dict[str, Zone], year: int) -> AssessmentRun:
    """The three zones and three twins in another province, run by a national superuser."""
    far = Region.objects.create(code="880000", name="远方省", level="province")
    twins = {
        key: Zone.objects.create(code=f"X{i}", name=f"远方开发区{i}", kind="provincial_edz",
                                 region=far, comparison_group="南")
        for i, key in enumerate(zones)
    }  # fmt: skip
    seed_provincial(zones, year)
    seed_provincial(twins, year)
    superuser = get_user_model().objects.create_superuser("mofcom", password="pass-for-tests-2026")
    version = preset("provincial_six").latest()
    return finish(
        start_run(version, year=year, zone_kind="", replications=0, acting_user=superuser)
    )


def test_a_run_across_provinces_is_a_national_ranking(zones, province_analyst):
    provincial = provincial_run(zones, 2025, "east", province_analyst)
    national = national_run(zones, 2025)
    assert (provincial.level, national.level) == ("provincial", "national")


def test_rank_target_progress_with_actuals_gap_and_projection(zones, province_analyst):
    # given the east zone 3rd, 3rd, 2nd in the provincial runs of 2023–2025
    provincial_run(zones, 2023, "east", province_analyst)
    provincial_run(zones, 2024, "east", province_analyst)
    provincial_run(zones, 2025, "west", province_analyst)
    # and 5th (tied with its twin) in a national run of 2025
    national_run(zones, 2025)
    set_rank_target(zones["east"], level="provincial", year=2027, rank=1,
                    acting_user=province_analyst, note="十四五")  # fmt: skip
    set_rank_target(zones["east"], level="national", year=2027, rank=2,
                    acting_user=province_analyst)  # fmt: skip
    # when its progress is read
    rows = {r["target"].level: r for r in rank_target_progress(zones["east"], province_analyst)}
    # then the provincial line 3, 3, 2 (−0.5 a year) reads 1.17 in 2027: 1st, the target is met
    provincial = rows["provincial"]
    assert provincial["history"] == [(2023, 3), (2024, 3), (2025, 2)]
    assert (provincial["latest_year"], provincial["latest"], provincial["gap"]) == (2025, 2, 1)
    assert (provincial["projected"], provincial["reaches"]) == (1, True)
    assert provincial["outlook"] == "2027年预计第 1 名,可达目标"
    # and the national ranking has one year only: a gap of 3 places, no projection
    national = rows["national"]
    assert national["history"] == [(2025, 5)]
    assert (national["gap"], national["projected"], national["outlook"]) == (3, None, None)


def test_a_projection_that_falls_short_and_the_latest_run_of_a_year_wins(zones, province_analyst):
    provincial_run(zones, 2023, "east_htz", province_analyst)  # 1st
    provincial_run(zones, 2024, "east", province_analyst)  # 3rd, then rerun as 2nd
    provincial_run(zones, 2024, "west", province_analyst)
    set_rank_target(zones["east"], level="provincial", year=2026, rank=1,
                    acting_user=province_analyst)  # fmt: skip
    (row,) = rank_target_progress(zones["east"], province_analyst)
    # 1 → 2: one place lost a year, 2026 reads 4 (no clamping to the number of zones)
    assert row["history"] == [(2023, 1), (2024, 2)]
    assert (row["projected"], row["reaches"], row["gap"]) == (4, False, 1)


def test_rank_targets_page_saves_through_the_action_and_logs(analyst_client, zones):
    data = {"zone": zones["west"].pk, "level": "national", "year": 2027, "rank": 30,
            "note": "进入全国前30位"}  # fmt: skip
    response = analyst_client.post(reverse("assessment:rank_target_new"), data)
    assert response.url == reverse("assessment:rank_targets")
    target = RankTarget.objects.get()
    assert (target.zone, target.level, target.year, target.rank) == (zones["west"], "national",
                                                                     2027, 30)  # fmt: skip
    assert target.province_code == "990000"
    assert ObjectChange.objects.filter(object_repr=str(target)).count() == 1
    # saving again changes the same target
    analyst_client.post(reverse("assessment:rank_target_new"), {**data, "rank": 10})
    assert list(RankTarget.objects.values_list("rank", flat=True)) == [10]
    page = analyst_client.get(reverse("assessment:rank_targets"))
    assert "前 10 位" in page.content.decode()


def test_a_zone_user_cannot_set_another_zones_rank_target(client, zone_user, zones):
    client.force_login(zone_user)
    data = {"zone": zones["west"].pk, "level": "provincial", "year": 2027, "rank": 1}
    before = ObjectChange.objects.count()
    client.post(reverse("assessment:rank_target_new"), data)
    client.post(
        reverse("assessment:rank_target_new"), {**data, "zone": zones["east"].pk, "rank": 0}
    )
    assert not RankTarget.objects.exists()
    assert ObjectChange.objects.count() == before
    client.post(reverse("assessment:rank_target_new"), {**data, "zone": zones["east"].pk})
    assert RankTarget.objects.get().zone == zones["east"]


def test_the_action_refuses_a_zone_outside_scope(zone_user, zones):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        set_rank_target(zones["west"], level="provincial", year=2027, rank=1, acting_user=zone_user)
    assert not RankTarget.objects.exists()


def test_rank_targets_on_the_profile_and_in_the_docx_report(
    analyst_client, zones, province_analyst
):
    provincial_run(zones, 2024, "east", province_analyst)
    run = provincial_run(zones, 2025, "west", province_analyst)
    set_rank_target(zones["east"], level="provincial", year=2025, rank=1,
                    acting_user=province_analyst)  # fmt: skip
    page = analyst_client.get(reverse("assessment:profile", args=[run.pk, zones["east"].pk]))
    text = page.content.decode()
    assert "第 2 名(2025)" in text
    assert "还需前移 1 位" in text
    assert "按当前速度,2025年预计第 2 名,达不到目标" in text
    # the DOCX report carries the same row (the PDF's is checked in test_views)
    profile = build_profile(run.results.get(zone=zones["east"]), province_analyst)
    tables = Document(io.BytesIO(report_docx(profile))).tables
    rows = [[c.text for c in row.cells] for table in tables for row in table.rows]
    assert ["全省排名", "2025", "前 1 位", "2", "2025年预计第 2 名,达不到目标"] in rows


def test_a_cost_indicator_target_is_reached_by_falling(zones, province_analyst):
    # given 单位GDP能耗 0.5 → 0.45 → 0.4 and a 2025 target of 0.25 tce/万元
    energy = Indicator.objects.get(code="energy_per_gdp")
    for year, value in ((2021, 0.5), (2022, 0.45), (2023, 0.4)):
        put(zones["east"], year, {"energy_per_gdp": value})
    set_target(zones["east"], energy, year=2025, value=Decimal("0.25"),
               acting_user=province_analyst)  # fmt: skip
    (row,) = target_progress(zones["east"], province_analyst)
    # then the line reads 0.3 in 2025: 0.25 / 0.3 = 83% of the way
    assert (row["latest_year"], row["latest"], row["gap"], row["share"]) == (2023, 0.4, -0.15, 83)


def test_one_actual_year_gives_no_projection(zones, province_analyst):
    gdp = Indicator.objects.get(code="gdp")
    put(zones["east"], 2023, {"gdp": 120})
    put(zones["east"], 2026, {"gdp": 999})  # after the target year: not an actual for it
    set_target(zones["east"], gdp, year=2025, value=Decimal(160), acting_user=province_analyst)
    (row,) = target_progress(zones["east"], province_analyst)
    assert (row["latest_year"], row["latest"], row["gap"], row["share"]) == (2023, 120.0, 40.0,
                                                                             None)  # fmt: skip
