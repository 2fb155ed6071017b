"""COINr's outlier treatment: every branch by hand, and against a literal port of COINr's loop."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kaifaqu.scoring import skew_kurtosis
from kaifaqu.scoring._treat import Thresholds, treat_column

LIMITS = Thresholds()


def _treat(values, **limits):
    return treat_column(
        "x", np.array(values, dtype=float), Thresholds(**limits) if limits else LIMITS
    )


def _coinr(values, max_points=5):
    """COINr 1.1's winsorise() + Treat.numeric(), transcribed: recomputes everything each time."""
    x = np.array(values, dtype=float)
    original = x.copy()

    def passes(v):
        skew, kurt = skew_kurtosis(v)
        return abs(skew) < 2 or kurt < 3.5

    if passes(x):
        return x
    high, low, count = [], [], 0
    while not passes(x) and count < max_points:
        if skew_kurtosis(x)[0] >= 0:
            high = np.flatnonzero(x == x.max())
            x[high] = np.delete(x, high).max()
        else:
            low = np.flatnonzero(x == x.min())
            x[low] = np.delete(x, low).min()
        count = len(high) + len(low)
    if passes(x):
        return x
    spread = original.max() - original.min()
    return np.log(original - original.min() + 0.01 * spread)


def test_type_two_skew_and_kurtosis():
    skew, kurt = skew_kurtosis(np.array([1.0, 2.0, 3.0, 10.0, np.nan]))
    # by hand: d = −3, −2, −1, 6; Σd² = 50, Σd³ = 180, Σd⁴ = 1394
    assert (round(skew, 12), round(kurt, 12)) == (1.763632614804, 3.228)


def test_passing_indicator_is_untouched():
    column, record = _treat(range(1, 11))
    assert column.tolist() == list(map(float, range(1, 11)))
    assert (record.status, record.points) == ("passed", 0)


def test_winsorise_high_end():
    column, record = _treat([*range(1, 11), 30, 100])
    assert column.tolist()[-2:] == [30.0, 30.0]
    assert (record.status, record.points, record.low, record.high) == ("winsorised", 1, 0, 1)


def test_winsorise_low_end():
    column, record = _treat([-100, -30, *range(1, 11)])
    assert column.tolist()[:2] == [-30.0, -30.0]
    assert (record.status, record.low, record.high) == ("winsorised", 1, 0)


def test_tied_extremes_move_together_and_count_each_point():
    column, record = _treat([*range(1, 13), 100, 100])
    assert column.tolist()[-3:] == [12.0, 12.0, 12.0]
    assert (record.status, record.points) == ("winsorised", 2)


def test_ties_can_push_the_count_past_max_points():
    # 500 moves to 300 (1 point), then the four at 300 move to 40 together: 4 > 2
    column, record = _treat([*range(1, 41), 500, 300, 300, 300], max_points=2)
    assert (record.status, record.points, record.high) == ("winsorised", 4, 4)
    assert column.tolist()[-5:] == [40.0] * 5


def test_side_switches_when_the_skew_changes_sign():
    values = [6, 1, 4, 8, 8, 3, 6, 0, 8, 2, 3, 9, 90, -40]
    column, record = _treat(values)
    assert (record.status, record.low, record.high) == ("winsorised", 1, 1)
    assert column.tolist()[-2:] == [9.0, 0.0]


def test_points_moved_before_move_again_but_count_once():
    column, record = _treat([*range(1, 31), 500, 1000, 2000, 3000, 4000, 5000, 6000])
    assert (record.status, record.points, record.high) == ("winsorised", 3, 3)
    assert column.tolist()[-4:] == [3000.0] * 4


def test_log_fallback_on_the_original_values():
    values = [1.0] * 60 + [2, 4, 8, 16, 32, 64, 128]
    column, record = _treat(values)
    assert record.status == "log"
    assert column[0] == math.log(1.27)
    assert column[-1] == math.log(128 - 1 + 1.27)
    assert column.tolist() == np.log(np.array(values) - 1 + 1.27).tolist()


def test_missing_values_stay_missing_and_fewer_than_four_are_untreated():
    column, record = _treat([1.0, np.nan, 2.0, 1000.0])
    assert record.status == "too few values"
    assert np.isnan(column[1])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(-50, 50), min_size=4, max_size=30),
    st.lists(st.sampled_from([-900, -300, 200, 700, 5000]), max_size=8),
)
def test_matches_coinr_loop_on_any_data(body, outliers):
    values = [float(v) for v in body + outliers]
    column, _ = _treat(values)
    assert column.tolist() == _coinr(values).tolist()


def test_winsorised_down_to_a_constant_passes():
    # −300 moves up to 0 (skew < 0), then 44 down to 0 (the skew switched): nothing is left to
    # treat, as in COINr, rather than falling back to the log on rounding residue.
    column, record = _treat([0, 0, 0, 0, 44, -300])
    assert column.tolist() == [0.0] * 6
    assert (record.status, record.low, record.high) == ("winsorised", 1, 1)
