"""Half-up rounding of the number as written (its shortest ``repr``), not of its binary value."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np

# Below this distance from a half, the binary value may sit on the wrong side of the written one
# (2.675 is stored as 2.67499999…), so the decision is left to Decimal(repr(x)). Far wider than
# the few ulps of error that a product x·10^d can carry, so the fast path is always right.
_NEAR_HALF = 1e-6
_EXACT_LIMIT = 2.0**52


def round_half_up(values: np.ndarray, digits: int) -> np.ndarray:
    """Round to ``digits`` decimals, halves away from zero, as the shortest decimal form reads.

    Vectorised: only values within a hair of a half go through ``decimal``. NaN stays NaN.

    >>> round_half_up(np.array([2.675, 1.005, -0.125, 65.624999999999986, np.nan]), 2).tolist()
    [2.68, 1.01, -0.13, 65.62, nan]
    """
    if not 0 <= digits <= 15:
        raise ValueError(f"digits must be between 0 and 15, not {digits}")
    x = np.asarray(values, dtype=np.float64)
    scale = 10.0**digits
    with np.errstate(invalid="ignore", over="ignore"):
        y = np.abs(x) * scale
        whole = np.floor(y)
        rounded = whole + (y - whole >= 0.5)
        near = np.abs(y - whole - 0.5) <= _NEAR_HALF * np.maximum(1.0, y)
        exact = y >= _EXACT_LIMIT
    # flat indices, so that a units × replications matrix rounds like a vector
    for i in np.flatnonzero(near & ~exact):
        rounded.flat[i] = _decimal_scaled(float(abs(x.flat[i])), digits)
    result = np.copysign(rounded / scale, x)
    result[rounded == 0] = 0.0  # no "-0.0" in published figures
    result[exact] = x[exact]
    return result


def _decimal_scaled(value: float, digits: int) -> float:
    """``value`` rounded half-up at ``digits`` decimals, times 10**digits (an integer)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP).scaleb(digits))
