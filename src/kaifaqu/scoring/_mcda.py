"""Multi-criteria aggregation across units: Copeland's pairwise count and TOPSIS closeness.

Unlike the means, a unit's score here depends on the other units' values.
"""

from __future__ import annotations

import numpy as np

from ._errors import DataError

TOPSIS_NORMALISATIONS = ("vector", "sum")
# Pairwise comparisons are made in blocks of about this many cells, to bound memory.
_BLOCK_CELLS = 20_000_000


def copeland(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Copeland score: pairwise wins minus losses, where a beats b if the weights of the children
    on which a is higher outweigh those on which b is higher (children missing for either are
    left out of that pair). Units with no value get a missing score.

    >>> x = np.array([[3.0, 1.0], [2.0, 2.0], [1.0, 3.0]])
    >>> copeland(x, np.array([2.0, 1.0])).tolist()
    [2.0, 0.0, -2.0]
    """
    n, k = x.shape
    scored = ~np.isnan(x).all(axis=1)
    score = np.full(n, np.nan)
    block = max(1, _BLOCK_CELLS // max(1, n * k))
    for start in range(0, n, block):
        a = x[start : start + block, None, :]
        for_a = ((a > x[None, :, :]) * weights).sum(axis=2)
        for_b = ((a < x[None, :, :]) * weights).sum(axis=2)
        score[start : start + block] = np.sign(for_a - for_b).sum(axis=1)
    score[~scored] = np.nan
    return score


def topsis(x: np.ndarray, weights: np.ndarray, normalisation: str = "vector") -> np.ndarray:
    """TOPSIS closeness C = D⁻/(D⁺ + D⁻) on the weighted normalised matrix.

    Columns arrive with their direction applied (cost × −1), so the ideal is every column's
    maximum. ``vector``: x/√Σx²; ``sum``: x/|Σx| (the absolute value keeps a cost column's order).
    Weights are rescaled to sum to 1; a missing value adds nothing to either distance.

    >>> topsis(np.array([[1.0, 2.0], [2.0, 1.0], [2.0, 2.0]]), np.array([1.0, 1.0])).tolist()
    [0.5, 0.5, 1.0]
    """
    if normalisation not in TOPSIS_NORMALISATIONS:
        raise DataError(f"TOPSIS normalisation must be vector or sum, not {normalisation!r}")
    if normalisation == "vector":
        scale = np.sqrt(np.nansum(x * x, axis=0))
    else:
        scale = np.abs(np.nansum(x, axis=0))
    if (scale == 0).any():
        j = int(np.flatnonzero(scale == 0)[0])
        raise DataError(f"TOPSIS cannot normalise child {j + 1}: its values are all zero")
    v = x / scale * (weights / weights.sum())
    with np.errstate(invalid="ignore"):
        best, worst = np.nanmax(v, axis=0), np.nanmin(v, axis=0)
    d_best = np.sqrt(np.nansum((v - best) ** 2, axis=1))
    d_worst = np.sqrt(np.nansum((v - worst) ** 2, axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = d_worst / (d_best + d_worst)
    closeness[np.isnan(x).all(axis=1)] = np.nan
    return closeness
