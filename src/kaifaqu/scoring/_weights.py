"""Weighting methods (METHODS §3): equal, entropy (熵权法), AHP with its consistency ratio, CRITIC
and PCA-based. Each returns weights that sum to 1, in the order of the columns it was given.

The data-driven methods take a units × children matrix (NaN = missing), usually the normalised
indicators or the children's scores.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ._errors import DataError, FrameworkError

# Saaty's random indices for n = 1 … 10 (METHODS §3); n = 1, 2 are always consistent.
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49)
CR_LIMIT = 0.1


def equal_weights(count: int) -> np.ndarray:
    """1/k each.

    >>> equal_weights(4).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    return np.full(count, 1.0 / count)


def entropy_weights(x: np.ndarray, codes: Sequence[str] = ()) -> np.ndarray:
    """熵权法: p_ij = x_ij/Σ_i x_ij, e_j = −Σ p ln p / ln n (0·ln 0 = 0), w ∝ 1 − e_j.

    Each column uses its non-missing values (n of them). Negative values are refused.

    >>> entropy_weights(np.array([[1.0, 2.0], [1.0, 0.0]])).tolist()
    [0.0, 1.0]
    """
    names = _names(codes, x.shape[1])
    diversity = np.empty(x.shape[1])
    for j in range(x.shape[1]):
        column = x[:, j][~np.isnan(x[:, j])]
        if (column < 0).any():
            raise DataError("entropy weights need values ≥ 0 (normalise first)", indicator=names[j])
        total = column.sum()
        if column.size < 2 or total == 0:
            raise DataError("entropy weights need two values not all zero", indicator=names[j])
        p = column[column > 0] / total
        diversity[j] = 1 + (p * np.log(p)).sum() / math.log(column.size)
    return _normalised(diversity, "entropy", "every column has the same entropy-maximal spread")


def critic_weights(x: np.ndarray, codes: Sequence[str] = ()) -> np.ndarray:
    """CRITIC (Diakoulaki 1995): C_j = σ_j · Σ_k (1 − r_jk), w ∝ C_j, on complete rows.

    A constant column has σ = 0 and weight 0 (its correlations are taken as 0).

    >>> critic_weights(np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0]])).round(4).tolist()
    [0.5, 0.5]
    """
    rows = _complete(x, "CRITIC")
    sd = rows.std(axis=0, ddof=1)
    correlation = _correlation(rows, sd)
    information = sd * (1 - correlation).sum(axis=1)
    return _normalised(information, "CRITIC", "every column is constant")


def pca_weights(x: np.ndarray, codes: Sequence[str] = ()) -> np.ndarray:
    """PCA-based weights (OECD/JRC Handbook 2008, §6.1, without rotation), on complete rows.

    Principal components of the correlation matrix with eigenvalue ≥ 1 are kept (at least one);
    each indicator takes its largest squared loading (loadings scaled to unit sum per component)
    times its component's share of the retained variance; the weights are those, renormalised.

    >>> pca_weights(np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9]])).round(4).tolist()
    [0.5, 0.5]
    """
    rows = _complete(x, "PCA")
    sd = rows.std(axis=0, ddof=1)
    if (sd == 0).any():
        names = _names(codes, x.shape[1])
        raise DataError("PCA weights need no constant column", indicator=names[int(np.argmin(sd))])
    eigenvalues, vectors = np.linalg.eigh(_correlation(rows, sd))
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, vectors = eigenvalues[order], vectors[:, order]
    kept = max(1, int((eigenvalues >= 1 - 1e-12).sum()))
    squared = vectors[:, :kept] ** 2  # columns sum to 1: unit-length eigenvectors
    share = eigenvalues[:kept] / eigenvalues[:kept].sum()
    scaled = squared * share
    best = scaled[np.arange(x.shape[1]), squared.argmax(axis=1)]
    return best / best.sum()


@dataclass(frozen=True)
class AhpResult:
    """AHP's principal-eigenvector weights and consistency.

    ``pair``: the most inconsistent judgment (row, column) by the ratio of the judgment to the
    weights' ratio w_i/w_j; ``implied`` is that ratio.
    """

    weights: np.ndarray
    lambda_max: float
    ci: float
    cr: float
    pair: tuple[int, int]
    judgment: float
    implied: float


def ahp_weights(matrix: np.ndarray | Sequence[Sequence[float]]) -> AhpResult:
    """Saaty's AHP: principal eigenvector of the reciprocal matrix, CI = (λmax − n)/(n − 1),
    CR = CI/RI. Returns the result whatever CR is; :func:`ahp_accepted` refuses CR ≥ 0.1.

    >>> r = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    >>> r.weights.round(4).tolist(), round(r.lambda_max, 4), round(r.cr, 4)
    ([0.637, 0.2583, 0.1047], 3.0385, 0.0332)
    """
    a = np.asarray(matrix, dtype=np.float64)
    n = a.shape[0]
    if a.shape != (n, n) or not 1 <= n <= len(RANDOM_INDEX):
        raise FrameworkError(f"an AHP matrix must be square, 1 to {len(RANDOM_INDEX)} wide")
    if (a <= 0).any() or not np.allclose(a * a.T, 1.0, rtol=1e-2):
        raise FrameworkError("an AHP matrix must be positive and reciprocal (a_ji = 1/a_ij)")
    eigenvalues, vectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    w = np.abs(vectors[:, k].real)
    w /= w.sum()
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n - 1] if n > 2 else 0.0
    deviation = a * w[None, :] / w[:, None]  # 1 where a judgment agrees with the weights
    spread = np.maximum(deviation, 1 / deviation)
    i, j = np.unravel_index(int(np.argmax(np.triu(spread, 1))), a.shape)
    return AhpResult(
        w, lambda_max, max(ci, 0.0), max(cr, 0.0), (int(i), int(j)), a[i, j], w[i] / w[j]
    )


def ahp_accepted(matrix: Sequence[Sequence[float]], codes: Sequence[str]) -> np.ndarray:
    """AHP weights, or a ``FrameworkError`` showing CR and the most inconsistent pair if CR ≥ 0.1.

    >>> try:  # doctest: +ELLIPSIS
    ...     ahp_accepted([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], ["a", "b", "c"])
    ... except FrameworkError as error:
    ...     print(*str(error).split("; "), sep=" | ")
    AHP matrix of a, b, c is inconsistent: CR = 6.1303 ≥ 0.1 | most inconsistent pair a:b ...
    """
    result = ahp_weights(matrix)
    if len(codes) != len(result.weights):
        raise FrameworkError(f"the AHP matrix is {len(result.weights)} wide for {len(codes)} codes")
    if result.cr >= CR_LIMIT:
        i, j = result.pair
        raise FrameworkError(
            f"AHP matrix of {', '.join(codes)} is inconsistent: CR = {result.cr:.4f} ≥ {CR_LIMIT}; "
            f"most inconsistent pair {codes[i]}:{codes[j]} judged {result.judgment:.4g}, "
            f"the weights imply {result.implied:.4g}"
        )
    return result.weights


def parse_judgment(value: object) -> float:
    """A Saaty judgment: a number or a fraction written as text ("1/3").

    >>> parse_judgment("1/3") == 1 / 3, parse_judgment(5)
    (True, 5.0)
    """
    if isinstance(value, str) and "/" in value:
        top, bottom = value.split("/", 1)
        return float(top) / float(bottom)
    return float(value)  # type: ignore[arg-type]


def _names(codes: Sequence[str], count: int) -> list[str]:
    return list(codes) if len(codes) == count else [f"column {j + 1}" for j in range(count)]


def _complete(x: np.ndarray, method: str) -> np.ndarray:
    rows = x[~np.isnan(x).any(axis=1)]
    if rows.shape[0] < 3:
        raise DataError(f"{method} weights need at least 3 units with every value present")
    return rows


def _correlation(rows: np.ndarray, sd: np.ndarray) -> np.ndarray:
    centred = rows - rows.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (centred.T @ centred) / (rows.shape[0] - 1) / np.outer(sd, sd)
    r[~np.isfinite(r)] = 0.0
    np.fill_diagonal(r, 1.0)
    return r


def _normalised(raw: np.ndarray, method: str, why: str) -> np.ndarray:
    total = raw.sum()
    if not total > 0:
        raise DataError(f"{method} weights are undefined: {why}")
    return raw / total


DATA_DRIVEN = {"entropy": entropy_weights, "critic": critic_weights, "pca": pca_weights}
WEIGHT_METHODS = ("manual", "equal", "ahp", *DATA_DRIVEN)


def data_weights(method: str, x: np.ndarray, codes: Sequence[str]) -> np.ndarray:
    """Weights of a data-driven ``method`` (entropy, critic, pca) for the columns of ``x``."""
    return DATA_DRIVEN[method](x, codes)
