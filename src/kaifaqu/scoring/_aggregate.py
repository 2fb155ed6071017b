"""Aggregation of children into their parent: missing children are dropped, weights renormalised."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._errors import DataError
from ._mcda import copeland, topsis

METHODS = ("arithmetic", "geometric", "harmonic", "sum", "copeland", "topsis")
# Methods whose score is Σ a_c·x_c with per-unit coefficients a_c (see ``linear_coefficients``).
LINEAR = ("arithmetic", "sum")


def aggregate(
    values: np.ndarray,
    weights: np.ndarray,
    method: str,
    *,
    children: Sequence[str],
    units: np.ndarray,
    topsis_normalisation: str = "vector",
) -> np.ndarray:
    """Combine the columns of ``values`` (units × children) into one score per unit.

    ``arithmetic``: Σ w·x / Σ w; ``geometric``: exp(Σ w·ln x / Σ w); ``harmonic``: Σ w / Σ (w/x);
    ``sum``: Σ w·x with the weights as given (for benchmark-ratio schemes whose weights are points).
    Each uses only the children the unit has; a unit with none gets a missing score.
    ``copeland`` and ``topsis`` compare units with each other (see ``_mcda``).

    >>> x = np.array([[50.0, 100.0], [80.0, np.nan]])
    >>> w = np.array([1.0, 3.0])
    >>> aggregate(x, w, "arithmetic", children=["a", "b"], units=x[:, 0]).tolist()
    [87.5, 80.0]
    """
    if method == "copeland":
        return copeland(values, weights)
    if method == "topsis":
        return topsis(values, weights, topsis_normalisation)
    present = ~np.isnan(values)
    if method in ("geometric", "harmonic"):
        _refuse_non_positive(values, present, method, children, units)
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=1)
    filled = np.where(present, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "sum":
            score = (w * filled).sum(axis=1)
        elif method == "arithmetic":
            # weights rescaled to sum to 1 first, then summed, as COINr's a_amean does
            score = (w / total[:, None] * filled).sum(axis=1)
        elif method == "geometric":
            score = np.exp((w * np.log(np.where(present, values, 1.0))).sum(axis=1) / total)
        else:
            score = total / (w / np.where(present, values, 1.0)).sum(axis=1)
    score[~present.any(axis=1)] = np.nan
    return score


def _refuse_non_positive(
    values: np.ndarray, present: np.ndarray, method: str, children: Sequence[str], units: np.ndarray
) -> None:
    bad = present & (values <= 0) if method == "geometric" else present & (values == 0)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        limit = "zero or negative" if method == "geometric" else "zero"
        raise DataError(
            f"the {method} mean refuses {limit} values ({values[row, col]!r}); normalise to a "
            "positive range such as [1, 100] first",
            indicator=children[col],
            unit=str(units[row]),
        )


def linear_coefficients(values: np.ndarray, weights: np.ndarray, method: str) -> np.ndarray:
    """Per-unit coefficients a (units × children) with score = Σ a·x for ``arithmetic`` (w/Σw over
    the children present) and ``sum`` (w); 0 for a missing child.

    >>> linear_coefficients(np.array([[1.0, np.nan]]), np.array([1.0, 3.0]), "arithmetic").tolist()
    [[1.0, 0.0]]
    """
    w = np.where(np.isnan(values), 0.0, weights)
    if method == "sum":
        return w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(w / w.sum(axis=1, keepdims=True))
