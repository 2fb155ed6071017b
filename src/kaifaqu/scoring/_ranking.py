"""Competition ranks ("1224"): tied units share the best rank, the next rank skips."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from ._groups import MISSING


def competition_rank(
    score: np.ndarray,
    *,
    tie_break: Sequence[np.ndarray] = (),
    groups: np.ndarray | None = None,
    descending: bool = True,
) -> np.ndarray:
    """Rank by ``score`` (highest first), then by each ``tie_break`` column, within ``groups``.

    Missing scores, and units without a group (code −1), get a missing rank (NaN); a missing
    tie-break value loses the tie-break. Units equal on every key share the rank.

    >>> competition_rank(np.array([3.0, 5.0, 3.0, np.nan, 1.0])).tolist()
    [2.0, 1.0, 2.0, nan, 4.0]
    >>> competition_rank(np.array([3.0, 3.0, 3.0]), tie_break=[np.array([1.0, 2.0, 1.0])]).tolist()
    [2.0, 1.0, 2.0]
    """
    scores = score.reshape(-1, 1)
    return competition_ranks(scores, tie_break=tie_break, groups=groups, descending=descending)[
        :, 0
    ]


def competition_ranks(
    scores: np.ndarray,
    *,
    tie_break: Sequence[np.ndarray] = (),
    groups: np.ndarray | None = None,
    descending: bool = True,
) -> np.ndarray:
    """:func:`competition_rank` of every column of ``scores`` at once (in parallel)."""
    columns = {f"s{k}": pl.Series(scores[:, k], nan_to_null=True) for k in range(scores.shape[1])}
    worst = -np.inf if descending else np.inf
    ties = {
        f"t{i}": pl.Series(np.where(np.isnan(key), worst, key)) for i, key in enumerate(tie_break)
    }
    frame = pl.DataFrame({**columns, **ties, **({"g": groups} if groups is not None else {})})
    expressions = []
    for name in columns:
        keys = pl.struct([name, *ties]) if ties else pl.col(name)
        ranked = pl.when(pl.col(name).is_not_null()).then(keys).rank("min", descending=descending)
        expressions.append(ranked.over("g") if groups is not None else ranked)
    ranks = frame.select(expressions).to_numpy().astype(np.float64)
    if groups is not None:
        ranks[groups == MISSING] = np.nan
    return ranks
