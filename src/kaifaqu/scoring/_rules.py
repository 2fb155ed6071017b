"""Bonus, penalty and veto rules driven by the units' own data (METHODS §1.3, §2).

A rule reads one column of the units table: its points (bonus, penalty) or a condition on it
(veto: force a grade, drop one grade, cancel eligibility).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._errors import DataError

POINT_ACTIONS = ("bonus", "penalty")
GRADE_ACTIONS = ("force_grade", "drop_grade", "cancel")
ACTIONS = (*POINT_ACTIONS, *GRADE_ACTIONS)


def numbers(labels: np.ndarray, column: str, units: np.ndarray) -> np.ndarray:
    """A units-table column as numbers (empty = missing); a ``DataError`` naming the unit if not.

    >>> numbers(np.array(["1", None, "2.5"], dtype=object), "c", np.array(["a", "b", "c"])).tolist()
    [1.0, nan, 2.5]
    """
    if labels.dtype.kind in "iuf":
        return labels.astype(np.float64)
    out = np.full(labels.size, np.nan)
    for i, value in enumerate(labels.tolist()):
        if value is None or str(value).strip() in ("", "NA"):
            continue
        try:
            out[i] = float(value)
        except ValueError:
            raise DataError(
                f"column {column!r} is not a number: {value!r}", unit=str(units[i])
            ) from None
    return out


def condition(
    labels: np.ndarray,
    column: str,
    units: np.ndarray,
    values: Sequence[str] | None,
    at_least: float | None,
) -> np.ndarray:
    """Which units the rule fires on: text in ``values``, number ≥ ``at_least``, or number > 0.

    >>> condition(np.array(["0", "2", None], dtype=object), "c", np.array(["a", "b", "c"]),
    ...           None, None).tolist()
    [False, True, False]
    """
    if values is not None:
        texts = np.array([None if v is None else str(v) for v in labels.tolist()], dtype=object)
        return np.isin(texts, list(values))
    x = numbers(labels, column, units)
    with np.errstate(invalid="ignore"):
        return x >= at_least if at_least is not None else x > 0


def moved_grade(
    label: object, action: str, scale: Sequence[str], bands: dict[str, str], target: str | None
) -> object:
    """A unit's grade label after a veto: ``target``, one grade worse, or none (cancelled).

    >>> moved_grade("B", "drop_grade", ["A", "B", "C"], {}, None)
    'C'
    >>> moved_grade("C-", "drop_grade", ["A", "B", "C", "D"], {"C-": "C"}, None)
    'D'
    """
    if action == "cancel":
        return None
    if action == "force_grade":
        return target
    if label is None:
        return None  # not graded: nothing to drop
    base = bands.get(str(label), str(label))
    return scale[min(scale.index(base) + 1, len(scale) - 1)]
