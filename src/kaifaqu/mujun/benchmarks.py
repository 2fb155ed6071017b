"""A pool's benchmarks (基准值: fixed, the prior year's mean, or a statistic of this year's graded
units) and the values the pool-average rule fills in (METHODS §1.1). No Django."""

from __future__ import annotations

import numpy as np
import polars as pl

from kaifaqu.mujun.preparation import prepare
from kaifaqu.mujun.scheme import Pool, Scheme
from kaifaqu.mujun.statuses import Status


class EvaluationError(ValueError):
    """The data cannot be evaluated under the scheme (e.g. the prior year a benchmark needs)."""


def _graded_values(data: pl.DataFrame, pool: Pool, code: str) -> pl.Series:
    """Values of graded units of the pool with real data (statuses and filled values left out)."""
    ind_missing = f"v:{code}"
    rows = data.filter(
        (pl.col("pool") == pool.code)
        & (pl.col("status") == Status.GRADED)
        & pl.col(ind_missing).is_not_null()
    )
    return rows[ind_missing]


def pool_benchmarks(
    data: pl.DataFrame, pool: Pool, scheme: Scheme, year: int, prior: pl.DataFrame | None
) -> dict[str, float]:
    out = {}
    prior_data = None
    for code, spec in pool.benchmarks.items():
        if spec.method == "fixed":
            value = spec.value
        elif spec.method == "prior_mean":
            if prior is None or prior.height == 0:
                raise EvaluationError(f"基准值需要{year - 1}年{pool.name}的数据,输入中没有")
            if prior_data is None:
                prior_data = prepare(prior, scheme, year - 1)
            values = _graded_values(prior_data, pool, code)
            if values.len() == 0:
                raise EvaluationError(f"基准值需要{year - 1}年{pool.name}的数据,输入中没有")
            value = spec.factor * float(values.mean())  # type: ignore[arg-type]
        else:
            value = spec.factor * _statistic(
                _graded_values(data, pool, code), spec.method, spec.percentile
            )
        if value is None or not np.isfinite(value) or value <= 0:
            raise EvaluationError(
                f"{pool.name}指标「{scheme.indicators[code].name}」的基准值无法确定"
            )
        out[code] = float(value)
    return out


def _statistic(values: pl.Series, method: str, percentile: float) -> float:
    if values.len() == 0:
        return float("nan")
    if method == "mean":
        return float(values.mean())  # type: ignore[arg-type]
    if method == "median":
        return float(values.median())  # type: ignore[arg-type]
    return float(values.quantile(percentile / 100, interpolation="linear"))  # type: ignore[arg-type]


def pool_fills(
    members: pl.DataFrame, pool: Pool, scheme: Scheme, benchmarks: dict[str, float]
) -> dict[str, float]:
    """A missing value with the pool-average rule gets B × mean(x/B, capped) over graded units
    with data, so its item score w·x/B is the pool's average item score exactly (METHODS §1.1,
    黄岩); the cap is applied first because the average is of item scores as awarded."""
    fills = {}
    for code in pool.weights:
        if scheme.indicators[code].missing != "pool_average":
            continue
        ratios = _graded_values(members, pool, code) / benchmarks[code]
        if code in pool.caps:
            ratios = ratios.clip(upper_bound=pool.caps[code])
        mean_ratio = float(ratios.mean()) if ratios.len() else 0.0  # type: ignore[arg-type]
        fills[code] = benchmarks[code] * mean_ratio
    return fills


def fill_missing(members: pl.DataFrame, fills: dict[str, float]) -> pl.DataFrame:
    """Missing pool-average indicators take the pool's fill value (:func:`pool_fills`)."""
    if not fills:
        return members
    return members.with_columns(pl.col(f"v:{code}").fill_null(v) for code, v in fills.items())
