"""Outlier treatment exactly as COINr does it (METHODS §3).

An indicator passes when |skew| < 2 or kurtosis < 3.5. Otherwise the extreme on the side of the
current skew is moved, with every point tied to it, to the next distinct value, until it passes or
``max_points`` distinct points have changed; if it still fails, the winsorisation is discarded and
ln(x − min + 0.01·(max − min)) is applied to the original values.

Winsorisation only ever touches the few largest and smallest distinct values, so each column is
sorted once and the moments are updated from shifted power sums when points move, instead of
being recomputed over all units at every step; where a decision is within a hair of a threshold,
the moments are recomputed exactly from the data (two-pass), so speed never changes a decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Relative distance to a threshold under which the incremental moments are not trusted.
_MARGIN = 1e-9


@dataclass(frozen=True)
class TreatmentRecord:
    """What treatment did to one indicator.

    ``status``: ``passed`` (no change), ``winsorised``, ``log`` (the fallback), ``failed`` (still
    failing, fallback off) or ``too few values`` (fewer than 4, so kurtosis is undefined).
    ``points`` counts distinct units whose value changed (``low`` + ``high``).
    """

    indicator: str
    status: str
    skew: float
    kurtosis: float
    skew_after: float
    kurtosis_after: float
    points: int = 0
    low: int = 0
    high: int = 0


@dataclass(frozen=True)
class Thresholds:
    skew: float = 2.0
    kurtosis: float = 3.5
    max_points: int = 5

    def passes(self, skew: float, kurtosis: float) -> bool:
        return abs(skew) < self.skew or kurtosis < self.kurtosis


def skew_kurtosis(values: np.ndarray) -> tuple[float, float]:
    """Type-2 sample skew and excess kurtosis (Excel, pandas, e1071 type 2) of non-missing values.

    >>> s, k = skew_kurtosis(np.array([1.0, 2.0, 3.0, 10.0]))
    >>> round(s, 6), round(k, 6)
    (1.763633, 3.228)
    """
    v = values[~np.isnan(values)]
    d = v - v.mean()
    d2 = d * d
    return _type2(v.size, float(d2.sum()), float((d2 * d).sum()), float((d2 * d2).sum()))


def _type2(n: int, m2: float, m3: float, m4: float) -> tuple[float, float]:
    if m2 <= 0:
        return 0.0, -np.inf  # a constant column has nothing to treat
    skew = np.sqrt(n) * m3 / m2**1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * m4 / (m2 * m2)
    kurtosis = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(skew), float(kurtosis)


def _ends(values: np.ndarray, need: int) -> tuple[np.ndarray, np.ndarray]:
    """The smallest and largest values, sorted, holding at least ``need`` complete distinct values
    beyond their inner edge; the whole column sorted when it is small or heavily tied."""
    n = values.size
    k = 4 * need
    if 2 * k < n:
        part = np.partition(values, [k - 1, n - k])
        low, high = np.sort(part[:k]), np.sort(part[n - k :])
        # values strictly beyond each segment's inner edge have all their ties inside it
        if np.unique(low[low < low[-1]]).size >= need and (
            np.unique(high[high > high[0]]).size >= need
        ):
            return low, high
    ordered = np.sort(values)
    return ordered, ordered


class _Winsoriser:
    """One column's two ends; moves them inward and keeps the moments up to date.

    Moments come from power sums of (x − shift) that are updated when points move, so a step
    costs O(1) instead of a pass over every unit.
    """

    def __init__(self, values: np.ndarray, max_points: int) -> None:
        self.values = values
        self.n = values.size
        self.low_end, self.high_end = _ends(values, max_points + 2)
        self.lo = float(self.low_end[0])
        self.hi = float(self.high_end[-1])
        self.shift = float(values.mean())
        d = values - self.shift
        d2 = d * d
        self.sums = [float(d.sum()), float(d2.sum()), float((d2 * d).sum()), float((d2 * d2).sum())]

    def moments(self) -> tuple[float, float]:
        n = self.n
        s1, s2, s3, s4 = self.sums
        mu = s1 / n
        m2 = s2 - s1 * mu
        m3 = s3 - 3 * mu * s2 + 2 * n * mu**3
        m4 = s4 - 4 * mu * s3 + 6 * mu * mu * s2 - 3 * n * mu**4
        return _type2(n, m2, m3, m4)

    def exact_moments(self) -> tuple[float, float]:
        return skew_kurtosis(np.clip(self.values, self.lo, self.hi))

    def move_high(self) -> None:
        end = self.high_end
        start = int(np.searchsorted(end, self.hi, "left"))
        target = max(float(end[start - 1]), self.lo) if start > 0 else self.hi
        self._move(end.size - start, self.hi, target)
        self.hi = target

    def move_low(self) -> None:
        end = self.low_end
        stop = int(np.searchsorted(end, self.lo, "right"))
        target = min(float(end[stop]), self.hi) if stop < end.size else self.lo
        self._move(stop, self.lo, target)
        self.lo = target

    def _move(self, count: int, old: float, new: float) -> None:
        a, b = old - self.shift, new - self.shift
        for p in range(4):
            self.sums[p] += count * (b ** (p + 1) - a ** (p + 1))

    def changed(self) -> tuple[int, int]:
        """Distinct original points now below ``lo`` and above ``hi``."""
        low = int(np.searchsorted(self.low_end, self.lo, "left"))
        high = self.high_end.size - int(np.searchsorted(self.high_end, self.hi, "right"))
        return low, high


def _decide(w: _Winsoriser, limits: Thresholds) -> tuple[bool, float, float]:
    if w.lo >= w.hi:
        # Winsorised down to one value: constant, so it passes as skew_kurtosis() says. The
        # incremental moments would leave rounding residue here instead of an exact zero.
        return True, 0.0, -np.inf
    skew, kurt = w.moments()
    close = abs(abs(skew) - limits.skew) <= _MARGIN * max(1.0, limits.skew) or abs(
        kurt - limits.kurtosis
    ) <= _MARGIN * max(1.0, abs(limits.kurtosis))
    if close or not (np.isfinite(skew) and np.isfinite(kurt)):
        skew, kurt = w.exact_moments()
    return limits.passes(skew, kurt), skew, kurt


def winsorise(values: np.ndarray, limits: Thresholds) -> tuple[float, float, int, int, bool]:
    """COINr's loop on the non-missing ``values``: (lo, hi, low count, high count, passes)."""
    w = _Winsoriser(values, limits.max_points)
    passes, skew, _ = _decide(w, limits)
    low = high = 0
    while not passes and low + high < limits.max_points and w.lo < w.hi:
        if skew >= 0:
            w.move_high()
        else:
            w.move_low()
        low, high = w.changed()
        passes, skew, _ = _decide(w, limits)
    return w.lo, w.hi, low, high, passes


def log_fallback(column: np.ndarray) -> np.ndarray:
    """COINr's ``log_CT``: ln(x − min + 0.01·(max − min)), whatever the skew's sign."""
    present = column[~np.isnan(column)]
    low, high = present.min(), present.max()
    return np.log(column - low + 0.01 * (high - low))


def treat_column(
    code: str, column: np.ndarray, limits: Thresholds, *, fallback: bool = True
) -> tuple[np.ndarray, TreatmentRecord]:
    """Treat one indicator column (NaN = missing); returns the new column and what was done."""
    present = column[~np.isnan(column)]
    if present.size < 4:
        return column, TreatmentRecord(code, "too few values", *(np.nan,) * 4)
    skew, kurt = skew_kurtosis(present)
    if limits.passes(skew, kurt):
        return column, TreatmentRecord(code, "passed", skew, kurt, skew, kurt)
    lo, hi, low, high, passes = winsorise(present, limits)
    if passes or not fallback:
        treated = np.clip(column, lo, hi)
        after = skew_kurtosis(treated)
        status = "winsorised" if passes else "failed"
        return treated, TreatmentRecord(code, status, skew, kurt, *after, low + high, low, high)
    logged = log_fallback(column)
    return logged, TreatmentRecord(code, "log", skew, kurt, *skew_kurtosis(logged))
