"""Grade floors (the least total of each grade, so one enterprise can be graded alone) and what
it takes an enterprise to reach the next grade. No Django."""

from __future__ import annotations

import itertools
import math

import polars as pl

from kaifaqu.mujun.scheme import Pool, Scheme
from kaifaqu.mujun.statuses import Status
from kaifaqu.scoring import quota_counts


def grade_floors(scored: pl.DataFrame, scheme: Scheme) -> list[float | None]:
    """The least total of each grade but the last, so that one enterprise can be graded alone.

    Thresholds: the lines themselves. Quotas: the total of the last graded unit the grade's
    places reach (others' scores and the pool's counts held), None for a grade with no place.
    """
    grading = scheme.grading
    if grading.method != "quota":
        return list(grading.thresholds)
    if "total" not in scored.columns:
        return [None] * len(grading.shares)
    graded = scored.filter(pl.col("status") == Status.GRADED).sort("rank")
    counts = quota_counts(graded.height, grading.shares, grading.rounding)
    totals = graded["total"].to_list()
    return [totals[c - 1] if c > 0 else None for c in counts]


def next_grade_paths(
    scored: pl.DataFrame,
    pool: Pool,
    scheme: Scheme,
    benchmarks: dict[str, float],
    floors: list[float | None],
) -> pl.DataFrame:
    """ "To reach B: +x 万元 tax (per mu), or −y tce energy", at the run's benchmarks and grading.

    Under quotas the floor is the total of the last unit inside the target grade, which a tie
    would leave to the tie-break, so one cent more is needed; under thresholds the line itself.
    Raising tax raises every item with tax as numerator, cutting energy every item with energy as
    denominator, each only up to its cap.
    """
    grades = scheme.grading.grades
    if "total" not in scored.columns:
        return scored
    margin = 0.01 if scheme.grading.method == "quota" else 0.0
    target = (
        pl.when(pl.col("grade") == grades[1])
        .then(pl.lit(grades[0]))
        .when(pl.col("grade").is_in([*grades[2:], scheme.grading.c_minus_label]))
        .then(pl.lit(grades[1]))
    )
    needed = pl.lit(None, dtype=pl.Float64)
    for g, floor in zip(grades, floors, strict=False):
        if floor is not None:
            needed = (
                pl.when(pl.col("target_grade") == g).then(pl.lit(floor + margin)).otherwise(needed)
            )
    delta = pl.col("needed_total") - pl.col("total")
    vetoed = pl.col("vetoes").list.len() > 0
    return (
        scored.with_columns(target.alias("target_grade"))
        .with_columns(pl.when(vetoed).then(None).otherwise(needed).alias("needed_total"))
        .with_columns(
            _more_tax(pool, scheme, benchmarks, delta).alias("more_tax"),
            _less_energy(pool, scheme, benchmarks, delta).alias("less_energy"),
        )
        .with_columns(
            pl.when(pl.col("more_tax") > 0).then(pl.col("more_tax")).alias("more_tax"),
            pl.when((pl.col("less_energy") > 0) & (pl.col("less_energy") < pl.col("energy_tce")))
            .then(pl.col("less_energy"))
            .alias("less_energy"),
        )
    )


def _more_tax(pool: Pool, scheme: Scheme, benchmarks: dict[str, float], delta: pl.Expr) -> pl.Expr:
    """Extra tax for ``delta`` points: an item with tax as numerator gains w·f / (d·B) points per
    万元 until it reaches its cap."""
    rates: list[pl.Expr] = []
    rooms: dict[int, pl.Expr] = {}
    for code, w in pool.weights.items():
        ind = scheme.indicators[code]
        if ind.numerator == "tax_paid":
            if code in pool.caps:
                rooms[len(rates)] = w * pool.caps[code] - pl.col(f"s:{code}")
            rate = w * ind.factor / (pl.col(ind.denominator) * benchmarks[code])
            rates.append(rate.fill_null(0))
    return _least_reaching(rates, rooms, delta)


def _less_energy(
    pool: Pool, scheme: Scheme, benchmarks: dict[str, float], delta: pl.Expr
) -> pl.Expr:
    """Energy to save for ``delta`` points: an item with energy as denominator scores a / E
    (a = w·f·numerator / B) up to its cap, so solve for 1 / E and take the difference."""
    rates: list[pl.Expr] = []
    caps: dict[int, pl.Expr] = {}
    current: list[pl.Expr] = []
    for code, w in pool.weights.items():
        ind = scheme.indicators[code]
        if ind.denominator == "energy_tce":
            if code in pool.caps:
                caps[len(rates)] = pl.lit(w * pool.caps[code])
            rates.append((w * ind.factor * pl.col(ind.numerator) / benchmarks[code]).fill_null(0))
            current.append(pl.col(f"s:{code}"))
    if not rates:
        return pl.lit(None, dtype=pl.Float64)
    inverse = _least_reaching(rates, caps, pl.sum_horizontal(current) + delta)
    return pl.col("energy_tce") - 1 / inverse


def _least_reaching(rates: list[pl.Expr], caps: dict[int, pl.Expr], target: pl.Expr) -> pl.Expr:
    """The least v with Σ_j min(rates_j · v, caps_j) ≥ target (no cap: no min); null if none.

    The sum equals the least, over the subsets S of capped terms, of Σ_S cap + v · Σ_¬S rate, so
    v must clear (target − Σ_S cap) / Σ_¬S rate for every S; a subset with no rate left that
    falls short makes the target unreachable. Without caps this is target / Σ rate.
    """
    bounds = []
    for size in range(len(caps) + 1):
        for held in itertools.combinations(caps, size):
            shortfall = target - pl.sum_horizontal([caps[i] for i in held]) if held else target
            free = [rate for i, rate in enumerate(rates) if i not in held]
            rate = pl.sum_horizontal(free) if free else pl.lit(0.0)
            bounds.append(
                pl.when(rate > 0)
                .then(shortfall / rate)
                .when(shortfall <= 0)
                .then(pl.lit(-math.inf))
                .otherwise(pl.lit(math.inf))
            )
    least = pl.max_horizontal(bounds)
    return pl.when(least.is_finite()).then(least)
