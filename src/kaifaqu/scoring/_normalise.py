"""Normalisation of one indicator column (NaN = missing), COINr's formulas.

Direction is applied first, as COINr does: the column arrives multiplied by its direction, and
parameters given on the original scale (targets, goalposts) are multiplied too.
"""

from __future__ import annotations

import numpy as np

from ._errors import DataError
from ._ranking import competition_rank


def _extremes(x: np.ndarray) -> tuple[float, float]:
    # fmin/fmax skip NaN without the warning np.nanmin gives on an all-missing column
    return float(np.fmin.reduce(x)), float(np.fmax.reduce(x))


def _constant(code: str, x: np.ndarray, upper: float, constant: str) -> np.ndarray:
    if constant != "upper":
        raise DataError(
            'the column is constant, so it cannot be normalised (constant = "upper" gives every '
            "unit the top score)",
            indicator=code,
        )
    return np.where(np.isnan(x), np.nan, upper)


def minmax(
    code: str, x: np.ndarray, low: float = 0.0, high: float = 100.0, constant: str = "error"
) -> np.ndarray:
    """(x − min)/(max − min)·(u − l) + l.

    >>> minmax("i", np.array([1.0, 3.0, 5.0, np.nan]), 1, 100).tolist()
    [1.0, 50.5, 100.0, nan]
    """
    lo, hi = _extremes(x)
    if lo == hi:
        return _constant(code, x, high, constant)
    return (x - lo) / (hi - lo) * (high - low) + low


def zscore(code: str, x: np.ndarray, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """(x − mean)/sd·s + m, with the sample standard deviation (n − 1).

    >>> zscore("i", np.array([1.0, 2.0, 3.0])).tolist()
    [-1.0, 0.0, 1.0]
    """
    present = x[~np.isnan(x)]
    spread = float(present.std(ddof=1)) if present.size > 1 else 0.0
    if spread == 0:
        raise DataError("the column is constant, so it has no z-score", indicator=code)
    return (x - present.mean()) / spread * sd + mean


def rank(x: np.ndarray) -> np.ndarray:
    """COINr's ``n_rank``: ascending ranks, ties at the lowest (min) rank.

    >>> rank(np.array([10.0, 30.0, 10.0, np.nan])).tolist()
    [1.0, 3.0, 1.0, nan]
    """
    return competition_rank(x, descending=False)


def percentile(x: np.ndarray) -> np.ndarray:
    """COINr's ``n_prank``: (rank_min − 1)/(n − 1).

    >>> percentile(np.array([10.0, 30.0, 20.0])).tolist()
    [0.0, 1.0, 0.5]
    """
    count = int((~np.isnan(x)).sum())
    return (rank(x) - 1) / (count - 1) if count > 1 else np.where(np.isnan(x), np.nan, 1.0)


def distance_to(code: str, x: np.ndarray, reference: float, cap: float | None) -> np.ndarray:
    """1 − (ref − x)/(ref − min): COINr's distance to a target or to a reference unit.

    >>> distance_to("i", np.array([0.0, 5.0, 20.0]), 10.0, 1.0).tolist()
    [0.0, 0.5, 1.0]
    """
    lo, _ = _extremes(x)
    if reference == lo:
        raise DataError("the target equals the minimum, so distances are undefined", indicator=code)
    y = 1 - (reference - x) / (reference - lo)
    return np.minimum(y, cap) if cap is not None else y


def distance_to_max(code: str, x: np.ndarray, constant: str = "error") -> np.ndarray:
    """1 − (max − x)/(max − min).

    >>> distance_to_max("i", np.array([2.0, 4.0, 6.0])).tolist()
    [0.0, 0.5, 1.0]
    """
    lo, hi = _extremes(x)
    if lo == hi:
        return _constant(code, x, 1.0, constant)
    return 1 - (hi - x) / (hi - lo)


def goalposts(
    x: np.ndarray,
    low: float,
    high: float,
    direction: int,
    scale: float = 1.0,
    truncate: bool = True,
) -> np.ndarray:
    """(x − lo)/(hi − lo)·scale, x capped to [lo, hi]; a cost indicator: (hi − x)/(hi − lo).

    ``x`` is already multiplied by ``direction``; so are the goalposts, as in COINr.

    >>> goalposts(np.array([20.0, 52.5, 90.0]), 20, 85, 1).tolist()
    [0.0, 0.5, 1.0]
    """
    lo, hi = low * direction, high * direction
    y = (x - hi) / (lo - hi) if direction == -1 else (x - lo) / (hi - lo)
    if truncate:
        y = np.clip(y, 0.0, 1.0)
    return y * scale


def benchmark_ratio(
    code: str,
    units: np.ndarray,
    x: np.ndarray,
    bench: np.ndarray,
    direction: int,
    cap: float | None,
) -> np.ndarray:
    """x/B (a cost indicator: B/x), capped at ``cap`` if given; ``bench`` is per unit.

    >>> benchmark_ratio("t", np.array(["a", "b"]), np.array([12.0, 48.0]), np.array([24.0, 24.0]),
    ...                 1, 1.5).tolist()
    [0.5, 1.5]
    """
    raw = x * direction  # undo the direction: the ratio is taken on the measured value
    numerator, denominator = (raw, bench) if direction == 1 else (bench, raw)
    zero = (denominator == 0) & ~np.isnan(numerator)
    if zero.any():
        unit = str(units[np.flatnonzero(zero)[0]])
        raise DataError("division by zero in the benchmark ratio", indicator=code, unit=unit)
    y = numerator / denominator
    return np.minimum(y, cap) if cap is not None else y


def vector(code: str, x: np.ndarray) -> np.ndarray:
    """x/√Σx².

    >>> vector("i", np.array([3.0, 4.0])).tolist()
    [0.6, 0.8]
    """
    norm = float(np.sqrt(np.nansum(x * x)))
    if norm == 0:
        raise DataError("every value is zero, so the vector norm is zero", indicator=code)
    return x / norm


def share_of_sum(code: str, x: np.ndarray) -> np.ndarray:
    """x/Σx.

    >>> share_of_sum("i", np.array([1.0, 3.0])).tolist()
    [0.25, 0.75]
    """
    total = float(np.nansum(x))
    if total == 0:
        raise DataError("the values sum to zero", indicator=code)
    return x / total
