"""Grades: quotas per pool with METHODS §1.4's integer arithmetic, or score thresholds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._ranking import competition_rank

ROUNDING = ("half_up", "floor", "ceil")
UNGRADED = -1


def quota_counts(n: int, shares: Sequence[int], rounding: str = "half_up") -> list[int]:
    """Cumulative counts c_g for cumulative shares p_g in whole percent, in integer arithmetic.

    half-up: c = ⌊(n·p + 50)/100⌋; floor: ⌊n·p/100⌋; ceil: ⌈n·p/100⌉.

    >>> quota_counts(37, [20, 60, 95]), quota_counts(30, [20, 60, 95])
    ([7, 22, 35], [6, 18, 29])
    >>> quota_counts(45, [25, 70, 95])
    [11, 32, 43]
    """
    offset = {"half_up": 50, "floor": 0, "ceil": 99}[rounding]
    return [(n * p + offset) // 100 for p in shares]


def grade_by_quota(
    score: np.ndarray,
    *,
    shares: Sequence[int],
    rounding: str = "half_up",
    tie_break: Sequence[np.ndarray] = (),
    pools: np.ndarray | None = None,
) -> np.ndarray:
    """Grade index per unit (0 = best; −1 = not graded: missing score or no pool).

    A unit's position is its competition rank in its pool (by score, then the tie-breaks), so
    units still tied take the same, better grade; it takes the first grade g with position ≤ c_g.

    >>> grade_by_quota(np.arange(10.0, 0, -1), shares=[20, 60, 95]).tolist()
    [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    """
    codes = np.zeros(score.size, dtype=np.int64) if pools is None else pools
    position = competition_rank(score, tie_break=tie_break, groups=codes)
    graded = ~np.isnan(position)
    pool_count = int(codes.max(initial=0)) + 1
    sizes = np.bincount(codes[graded], minlength=pool_count)
    bounds = np.array([quota_counts(int(n), shares, rounding) for n in sizes], dtype=np.float64)
    grade = np.full(score.size, UNGRADED, dtype=np.int64)
    rows = np.flatnonzero(graded)
    grade[rows] = (position[rows, None] > bounds[codes[rows]]).sum(axis=1)
    return grade


def grade_by_thresholds(score: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """Grade index: the first g with score ≥ thresholds[g] (thresholds descending); else the last.

    >>> grade_by_thresholds(np.array([95.0, 80.0, 79.99, np.nan]), [90, 80]).tolist()
    [0, 1, 2, -1]
    """
    limits = np.asarray(thresholds, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        grade = (score[:, None] < limits[None, :]).sum(axis=1)
    grade[np.isnan(score)] = UNGRADED
    return grade


def labels(grade: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Grade indices to their labels (None where not graded)."""
    table = np.array([*names, None], dtype=object)
    return table[np.where(grade == UNGRADED, len(names), grade)]
