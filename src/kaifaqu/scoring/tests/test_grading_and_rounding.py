"""Quota grading (METHODS §1.4), thresholds and bands; half-up rounding as written (§1.3)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaifaqu.scoring import grade_by_quota, quota_counts, round_half_up

from .helpers import flat_framework, run


@pytest.mark.parametrize(
    ("n", "shares", "counts"),
    [
        (37, [20, 60, 95], [7, 22, 35]),
        (10, [20, 60, 95], [2, 6, 10]),
        (30, [20, 60, 95], [6, 18, 29]),
        (45, [25, 70, 95], [11, 32, 43]),
        (45, [70], [32]),
    ],
)
def test_worked_examples_of_the_quota_arithmetic(n, shares, counts):
    assert quota_counts(n, shares) == counts


def test_rounding_mode_is_data():
    assert quota_counts(30, [20, 60, 95], "floor") == [6, 18, 28]
    assert quota_counts(45, [25, 70, 95], "ceil") == [12, 32, 43]


def _grades(scores, **kw):
    index = grade_by_quota(np.array(scores, dtype=float), shares=[20, 60, 95], **kw)
    return "".join("-" if g < 0 else "ABCD"[g] for g in index)


def test_n_37_gives_7_15_13_2():
    grades = _grades(list(range(37, 0, -1)))
    assert [grades.count(g) for g in "ABCD"] == [7, 15, 13, 2]


def test_n_10_gives_no_d():
    assert _grades(list(range(10, 0, -1))) == "AABBBBCCCC"


def test_tie_straddling_a_boundary_takes_the_better_grade():
    # positions 2 and 3 tie across the A boundary (c_A = 2): both A
    assert _grades([10, 9, 9, 7, 6, 5, 4, 3, 2, 1]) == "AAABBBCCCC"


def test_tie_break_separates_equal_totals():
    tax = np.array([1.0, 3.0, 2.0, 0, 0, 0, 0, 0, 0, 0])
    scores = [9, 9, 9, 7, 6, 5, 4, 3, 2, 1]
    assert _grades(scores, tie_break=[tax]) == "BAABBBCCCC"


def test_quotas_apply_within_each_pool_and_missing_scores_are_not_counted():
    pools = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    scores = [5, 4, 3, 2, 1, 60, 50, 40, 30, 20, np.nan]
    assert _grades(scores, pools=pools) == "ABBCCABBCC-"


def test_classify_step_with_pools_bands_and_ungraded_statuses():
    fw = flat_framework("x")
    units = [f"e{i}" for i in range(6)]
    steps = [
        {"kind": "aggregate"},
        {
            "kind": "classify",
            "shares": [20, 60, 95],
            "pool": "pool",
            "bands": [{"grade": "C", "label": "C-", "below": 15}],
            "ungraded": {"column": "status", "values": ["EXEMPT"]},
        },
    ]
    results = run(
        fw,
        units,
        {"x": [90.0, 80.0, 70.0, 10.0, 50.0, 20.0]},
        steps,
        attributes={"pool": ["a"] * 6, "status": [None, None, None, None, "EXEMPT", None]},
    )
    assert results.grades["grade"].tolist() == ["A", "B", "B", "C-", None, "C"]


def test_classify_by_thresholds():
    fw = flat_framework("x")
    steps = [
        {"kind": "aggregate"},
        {"kind": "classify", "method": "thresholds", "thresholds": [80, 60, 40]},
    ]
    results = run(fw, ["a", "b", "c", "d"], {"x": [80.0, 79.99, 40.0, 12.0]}, steps)
    assert results.grades["grade"].tolist() == ["A", "B", "C", "D"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=60))
def test_grade_counts_equal_quotas_unless_a_tie_straddles(scores):
    index = grade_by_quota(np.array(scores, dtype=float), shares=[20, 60, 95])
    ordered = sorted(scores, reverse=True)
    bounds = [*quota_counts(len(scores), [20, 60, 95]), len(scores)]
    for g, c in enumerate(bounds):
        straddles = 0 < c < len(scores) and ordered[c - 1] == ordered[c]
        if not straddles:
            assert int((index <= g).sum()) == c


def test_half_up_on_the_shortest_repr():
    values = np.array([2.675, 1.005, 0.125, -2.675, 65.624999999999986, 0.0049, np.nan, 1e17])
    assert round_half_up(values, 2).tolist()[:6] == [2.68, 1.01, 0.13, -2.68, 65.62, 0.0]
    assert np.isnan(round_half_up(values, 2)[6])
    assert round_half_up(values, 2)[7] == 1e17
    assert round_half_up(np.array([0.9615, 0.4]), 3).tolist() == [0.962, 0.4]


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False))
def test_rounding_agrees_with_decimal_on_written_numbers(written):
    from decimal import ROUND_HALF_UP, Decimal

    value = float(written)
    expected = float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert round_half_up(np.array([value]), 2)[0] == (expected if expected != 0 else 0.0)


def test_rounding_a_matrix_rounds_every_cell_like_a_vector():
    # Monte Carlo replications round a units × replications matrix at once.
    matrix = np.array([[2.675, 1.005], [-0.125, 65.624999999999986]])
    assert round_half_up(matrix, 2).tolist() == [[2.68, 1.01], [-0.13, 65.62]]
