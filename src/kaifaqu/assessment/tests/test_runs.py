"""Runs end to end: hand-computed presets, 进位, deductions, disqualification, intervals."""

from decimal import Decimal

import pytest

from kaifaqu.assessment.actions import record_deduction, start_run
from kaifaqu.assessment.models import AssessmentRun, Finding, ZoneResult
from kaifaqu.assessment.tests.conftest import finish, preset, put, seed_mofcom, seed_provincial
from kaifaqu.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


def results(run: AssessmentRun) -> dict[str, ZoneResult]:
    return {r.zone.code: r for r in run.results.select_related("zone")}


def test_mofcom_preset_hand_computed(zones, province_analyst):
    # given values that min-max to 0/50/100 per dimension (see conftest)
    seed_mofcom(zones, 2025)
    # when the MOFCOM preset runs over every kind of zone, without intervals
    run = start_run(
        preset("mofcom_2021").latest(),
        year=2025,
        zone_kind="",
        replications=0,
        acting_user=province_analyst,
    )
    by_code = results(finish(run))
    # then 30/30/15/15/10 gives 52.5, 35 and 62.5; MOFCOM publishes the rank within 东/中/西
    assert {c: r.total for c, r in by_code.items()} == {
        "Z001": Decimal("52.50"),
        "Z002": Decimal("35.00"),
        "Z003": Decimal("62.50"),
    }
    assert [by_code[c].rank for c in ("Z001", "Z002", "Z003")] == [2, 3, 1]
    assert [by_code[c].group_rank for c in ("Z001", "Z002", "Z003")] == [1, 2, 1]
    assert [by_code[c].published_rank for c in ("Z001", "Z002", "Z003")] == [1, 2, 1]
    assert by_code["Z001"].dimensions == {
        "openness": 0.0,
        "quality": 100.0,
        "innovation": 50.0,
        "green": 100.0,
        "coordination": 0.0,
    }
    assert by_code["Z002"].dimension_ranks["innovation"] == 1
    assert by_code["Z001"].progress is None  # no previous run


def test_provincial_preset_hand_computed_with_constant_columns(zones, province_analyst):
    # given an online-monitoring rate and an accident count that every zone meets alike
    seed_provincial(zones, 2025)
    run = start_run(
        preset("provincial_six").latest(), year=2025, replications=0, acting_user=province_analyst
    )
    by_code = results(finish(run))
    # then the constant columns score 100 for all (constant = "upper") and 30/25/15/15/5/10 gives
    assert {c: r.total for c, r in by_code.items()} == {
        "Z001": Decimal("47.50"),
        "Z002": Decimal("65.00"),
        "Z003": Decimal("48.75"),
    }
    assert [by_code[c].published_rank for c in ("Z001", "Z002", "Z003")] == [3, 1, 2]
    assert by_code["Z001"].indicators["online_monitoring_rate"]["score"] == 100.0
    assert by_code["Z002"].dimensions["ecology"] == 100.0
    # and the run is one change-log entry with its counts
    entry = ObjectChange.objects.get(object_repr__startswith="考核评价运行")
    # (with three zones, "bottom 5" and "top 3" both take every zone)
    assert entry.after == {"zones": 3, "ranked": 3, "disqualified": 0, "findings": 6}


def test_deduction_moves_a_zone_down(zones, province_analyst):
    seed_provincial(zones, 2025)
    # given a central negative case (−1.5) against the west zone (48.75 → 47.25 < 47.5)
    record_deduction(
        zones["west"],
        year=2025,
        item="negative_case_central",
        count=Decimal(1),
        acting_user=province_analyst,
    )
    run = start_run(
        preset("provincial_six").latest(), year=2025, replications=0, acting_user=province_analyst
    )
    by_code = results(finish(run))
    assert by_code["Z003"].total == Decimal("47.25")
    assert by_code["Z003"].deductions == {"中央通报负面典型案例": -1.5}
    assert [by_code[c].published_rank for c in ("Z001", "Z002", "Z003")] == [2, 1, 3]


def test_disqualified_zone_is_listed_but_not_ranked(zones, province_analyst):
    seed_provincial(zones, 2025)
    record_deduction(
        zones["east_htz"], year=2025, item="major_accident", count=Decimal(1),
        acting_user=province_analyst,
    )  # fmt: skip
    run = start_run(
        preset("provincial_six").latest(), year=2025, replications=0, acting_user=province_analyst
    )
    by_code = results(finish(run))
    assert by_code["Z002"].rank is None
    assert by_code["Z002"].total is None
    assert "重大" in by_code["Z002"].disqualified
    # the two others are ranked between themselves (min-max over two units)
    assert sorted(by_code[c].published_rank for c in ("Z001", "Z003")) == [1, 2]


def test_progress_against_previous_run_with_ties(zones, province_analyst):
    version = preset("provincial_six").latest()
    # given 2024 where east and west tie (identical values), east_htz on top
    seed_provincial(zones, 2024)
    put(zones["west"], 2024, _values_of(zones["east"], 2024))
    first = finish(start_run(version, year=2024, replications=0, acting_user=province_analyst))
    assert [results(first)[c].published_rank for c in ("Z001", "Z002", "Z003")] == [2, 1, 2]
    # when 2025 is the hand-computed case (east 3rd, west 2nd)
    seed_provincial(zones, 2025)
    second = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    by_code = results(second)
    # then 进位 = rank(t−1) − rank(t): the tie's competition rank 2 is the base for both
    assert {c: r.previous_rank for c, r in by_code.items()} == {"Z001": 2, "Z002": 1, "Z003": 2}
    assert {c: r.progress for c, r in by_code.items()} == {"Z001": -1, "Z002": 0, "Z003": 0}


def _values_of(zone, year):
    from kaifaqu.zones.models import ZoneYear

    rows = ZoneYear.objects.filter(zone=zone, year=year).select_related("indicator")
    return {r.indicator.code: float(r.value) for r in rows}


def test_intervals_are_seeded_and_bracket_the_nominal_rank(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    first = finish(start_run(version, year=2025, replications=200, acting_user=province_analyst))
    again = finish(start_run(version, year=2025, replications=200, acting_user=province_analyst))
    for a, b in zip(
        first.results.order_by("zone__code"), again.results.order_by("zone__code"), strict=True
    ):
        assert (a.rank_p05, a.rank_p95) == (b.rank_p05, b.rank_p95)
        assert 1 <= a.rank_p05 <= a.rank_p95 <= 3
    assert first.engine_version
    assert first.input_hash.startswith("sha256:")


def test_a_run_stores_the_mean_and_median_rank_and_the_score_interval(zones, province_analyst):
    # given the hand-computed provincial case (nominal ranks 3/1/2)
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    # when 50 seeded replications vary weights, normalisation and imputation
    run = finish(start_run(version, year=2025, replications=50, acting_user=province_analyst))
    by_code = results(run)
    # then each zone keeps the overall rank's mean, median and 5–95% interval (type 7)
    ranks = {c: (r.rank_mean, r.rank_median, r.rank_p05, r.rank_p95) for c, r in by_code.items()}
    assert ranks == {
        "Z001": (2.52, 3.0, 2.0, 3.0),
        "Z002": (1.0, 1.0, 1.0, 1.0),
        "Z003": (2.48, 2.0, 2.0, 3.0),
    }
    # and the score's median and 5–95% interval (the percentile option scores on 0–1, so the
    # lower bounds fall below one)
    scores = {
        c: tuple(round(v, 6) for v in (r.score_median, r.score_p05, r.score_p95))
        for c, r in by_code.items()
    }
    assert scores == {
        "Z001": (41.91009, 0.361991, 51.982744),
        "Z002": (61.578748, 0.542953, 67.345509),
        "Z003": (43.048051, 0.356323, 53.050926),
    }


def test_a_run_without_replications_stores_no_uncertainty(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    stored = run.results.values_list(
        "rank_mean", "rank_median", "rank_p05", "score_median", "score_p05", "score_p95"
    )
    assert set(stored) == {(None, None, None, None, None, None)}


def test_a_zone_user_cannot_run_outside_its_zone(zones, zone_user):
    from django.core.exceptions import ValidationError

    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    with pytest.raises(ValidationError):
        start_run(version, year=2025, zone_kind="national_htz", acting_user=zone_user)
    assert not AssessmentRun.objects.exists()


def test_starting_the_same_run_twice_while_queued_gives_the_same_run(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    first = start_run(version, year=2025, acting_user=province_analyst)
    again = start_run(version, year=2025, acting_user=province_analyst)
    assert again.pk == first.pk
    assert AssessmentRun.objects.count() == 1


def _swapped_run(zones, year, east_as, user):
    """The hand-computed case with the east zone's values swapped with ``east_as``'s."""
    swapped = dict(zones)
    swapped[east_as], swapped["east"] = zones["east"], zones[east_as]
    seed_provincial(swapped, year)
    return finish(start_run(preset("provincial_six").latest(), year=year, replications=0,
                            acting_user=user))  # fmt: skip


def test_streak_rules_fire_over_the_run_history(zones, province_analyst):
    # given east 3rd → 2nd → 1st, west 2nd → 3rd → 2nd, east_htz 1st → 1st → 3rd
    _swapped_run(zones, 2023, "east", province_analyst)
    _swapped_run(zones, 2024, "west", province_analyst)
    run = _swapped_run(zones, 2025, "east_htz", province_analyst)
    by_code = results(run)
    assert {c: r.progress for c, r in by_code.items()} == {"Z001": 1, "Z002": -2, "Z003": 1}
    # then 持续进位 fires on east alone (west rose once, after a fall), with the years
    streaks = Finding.objects.filter(run=run, rule_code__in=["rise_two_years", "fall_two_years"])
    assert [(f.zone.code, f.rule_code, f.years) for f in streaks] == [
        ("Z001", "rise_two_years", [2024, 2025])
    ]
    # and every zone of three is in the bottom 3 in all three years: 摘牌 with k = 2 of m = 3
    delist = Finding.objects.filter(run=run, rule_code="bottom3_delist").order_by("zone__code")
    assert [(f.zone.code, f.years) for f in delist] == [
        ("Z001", [2023, 2024, 2025]), ("Z002", [2023, 2024, 2025]), ("Z003", [2023, 2024, 2025]),
    ]  # fmt: skip
    assert not any(f.undistinguishable for f in Finding.objects.filter(run=run))


def test_disqualification_needs_at_least_one_accident(zones, province_analyst):
    # given a recorded count of 0 major accidents (at_least = 1): not disqualifying
    seed_provincial(zones, 2025)
    record_deduction(zones["east_htz"], year=2025, item="major_accident", count=Decimal(0),
                     acting_user=province_analyst)  # fmt: skip
    run = start_run(
        preset("provincial_six").latest(), year=2025, replications=0, acting_user=province_analyst
    )
    by_code = results(finish(run))
    assert by_code["Z002"].disqualified == ""
    assert by_code["Z002"].published_rank == 1


def test_a_disqualified_zone_keeps_last_years_rank_but_has_no_progress_or_finding(
    zones, province_analyst
):
    version = preset("provincial_six").latest()
    seed_provincial(zones, 2024)
    finish(start_run(version, year=2024, replications=0, acting_user=province_analyst))
    seed_provincial(zones, 2025)
    record_deduction(zones["east_htz"], year=2025, item="major_accident", count=Decimal(1),
                     acting_user=province_analyst)  # fmt: skip
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    disqualified = results(run)["Z002"]
    assert (disqualified.previous_rank, disqualified.progress) == (1, None)
    assert not Finding.objects.filter(run=run, zone=zones["east_htz"]).exists()
    # the two ranked zones move up against last year's ranks (3 → 2, 2 → 1)
    assert {c: r.progress for c, r in results(run).items() if c != "Z002"} == {
        "Z001": 1, "Z003": 1,
    }  # fmt: skip
