"""Imputation by column or group statistics, over the units present at that step."""

from __future__ import annotations

import numpy as np

from ._groups import MISSING, split_points


def group_means(column: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """Mean of the non-missing values of each group (NaN for a group with none).

    >>> group_means(np.array([1.0, 3.0, np.nan, 10.0]), np.array([0, 0, 0, 1]), 2).tolist()
    [2.0, 10.0]
    """
    use = ~np.isnan(column) & (codes != MISSING)
    sums = np.bincount(codes[use], weights=column[use], minlength=count)
    sizes = np.bincount(codes[use], minlength=count)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / sizes


def group_medians(column: np.ndarray, codes: np.ndarray, count: int) -> np.ndarray:
    """Median of each group; an even count averages the two middle values.

    >>> group_medians(np.array([1.0, 3.0, 8.0, 10.0]), np.array([0, 0, 1, 0]), 2).tolist()
    [3.0, 8.0]
    """
    use = ~np.isnan(column) & (codes != MISSING)
    values, groups = column[use], codes[use]
    order = np.lexsort((values, groups))
    ordered = values[order]
    sizes = np.bincount(groups, minlength=count)
    starts = split_points(sizes)
    medians = np.full(count, np.nan)
    has = sizes > 0
    low = starts[has] + (sizes[has] - 1) // 2
    high = starts[has] + sizes[has] // 2
    medians[has] = (ordered[low] + ordered[high]) / 2
    return medians


def column_statistic(column: np.ndarray, method: str) -> float:
    """Mean or median of the non-missing values (NaN if there are none)."""
    present = column[~np.isnan(column)]
    if present.size == 0:
        return float("nan")
    return float(present.mean() if method == "mean" else np.median(present))
