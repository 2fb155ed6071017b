"""Dynamic-management rules at their boundaries, and the "not distinguishable" flag."""

from kaifaqu.assessment.framework import ManagementRule
from kaifaqu.assessment.management import Position, evaluate, progress

SIZE = 10


def at(rank: int, interval: tuple[float, float] | None = None, group_rank: int | None = None):
    return Position(
        rank=rank,
        size=SIZE,
        group_rank=group_rank,
        group_size=5,
        interval=interval,
        group_interval=None,
    )


def fired(rule: ManagementRule, history: dict[int, dict[str, Position]], year: int = 2025):
    return {f.zone: f for f in evaluate([rule], history, year)}


BOTTOM3 = ManagementRule("b3", "后3位约谈", "bottom", "talk", n=3)
TOP2 = ManagementRule("t2", "前2位晋级", "top", "upgrade", n=2)


def test_bottom_n_fires_at_its_boundary_and_not_one_above():
    # with 10 zones the bottom 3 are ranks 8, 9, 10
    history = {2025: {"A": at(8), "B": at(7)}}
    assert set(fired(BOTTOM3, history)) == {"A"}
    assert fired(BOTTOM3, history)["A"].years == [2025]


def test_bottom_n_with_an_interval_crossing_the_boundary_is_flagged():
    history = {2025: {"A": at(8, (6.0, 10.0)), "B": at(9, (8.0, 10.0))}}
    result = fired(BOTTOM3, history)
    assert result["A"].undistinguishable is True  # could be 6th or 7th: outside the bottom 3
    assert result["B"].undistinguishable is False


def test_top_n_boundary_and_flag():
    history = {2025: {"A": at(2, (1.0, 3.0)), "B": at(3, (2.0, 3.0)), "C": at(1, (1.0, 2.0))}}
    result = fired(TOP2, history)
    assert set(result) == {"A", "C"}
    assert result["A"].undistinguishable
    assert not result["C"].undistinguishable


GROUP_BOTTOM2 = ManagementRule(
    "g", "3年内2次组内后2位", "bottom_in_years", "downgrade", rank="group", n=2, k=2, m=3
)


def test_bottom_in_k_of_m_years_fires_with_the_years_that_made_it():
    # group of 5: the bottom 2 are group ranks 4 and 5
    history = {
        2023: {"A": at(5, group_rank=4), "B": at(5, group_rank=4)},
        2024: {"A": at(5, group_rank=2), "B": at(5, group_rank=3)},
        2025: {"A": at(5, group_rank=5), "B": at(5, group_rank=3)},
    }
    result = fired(GROUP_BOTTOM2, history)
    assert set(result) == {"A"}
    assert result["A"].years == [2023, 2025]


def test_bottom_in_k_of_m_years_does_not_count_outside_the_window():
    # 2022 is four years back: outside a 3-year window
    history = {
        2022: {"A": at(5, group_rank=5)},
        2024: {"A": at(5, group_rank=1)},
        2025: {"A": at(5, group_rank=5)},
    }
    assert fired(GROUP_BOTTOM2, history) == {}


def test_bottom_in_years_needs_the_current_year():
    history = {2023: {"A": at(5, group_rank=5)}, 2024: {"A": at(5, group_rank=5)},
               2025: {"A": at(5, group_rank=1)}}  # fmt: skip
    assert fired(GROUP_BOTTOM2, history) == {}


FALL2 = ManagementRule("f", "连续两年退位", "fall_streak", "rectify", years=2)
RISE2 = ManagementRule("r", "持续进位", "rise_streak", "commend", years=2)


def test_two_consecutive_falls_fire_one_does_not():
    history = {
        2023: {"A": at(3), "B": at(3)},
        2024: {"A": at(4), "B": at(3)},  # A falls, B holds
        2025: {"A": at(6), "B": at(5)},  # both fall
    }
    result = fired(FALL2, history)
    assert set(result) == {"A"}
    assert result["A"].years == [2024, 2025]


def test_two_consecutive_rises_fire_one_rise_then_a_hold_does_not():
    history = {
        2023: {"A": at(5), "B": at(5)},
        2024: {"A": at(4), "B": at(5)},  # A rises, B holds
        2025: {"A": at(3), "B": at(4)},  # both rise
    }
    result = fired(RISE2, history)
    assert set(result) == {"A"}
    assert result["A"].years == [2024, 2025]
    assert result["A"].detail == "连续2年进位"


def test_a_streak_needs_every_year_ranked():
    # 2024 missing (no run, or the zone disqualified): the streak is broken
    history = {2023: {"A": at(5)}, 2025: {"A": at(3)}}
    assert fired(RISE2, history) == {}


def test_streak_flag_when_the_previous_rank_lies_inside_the_interval():
    history = {
        2023: {"A": at(3), "B": at(1)},
        2024: {"A": at(2, (1.0, 4.0)), "B": at(2, (2.0, 2.0))},
        2025: {"A": at(1, (1.0, 2.0)), "B": at(1, (1.0, 1.0))},
    }
    result = fired(RISE2, history)
    assert result["A"].undistinguishable  # 2024's interval 1–4 holds 2023's rank 3
    assert "B" not in result  # 1 → 2 is a fall


def test_progress_is_previous_minus_current():
    assert progress(5, 3) == 2
    assert progress(2, 2) == 0
    assert progress(None, 3) is None
