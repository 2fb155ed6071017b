"""Evaluating one year of enterprises under a scheme: Polars in, the engine per pool, Polars out.

No Django: the evaluation run job and the offline CLI both call :func:`evaluate` on a frame of
canonical columns (``INPUT_COLUMNS``). Scope, statuses, indicator values, missing-data rules and
benchmarks are prepared here (statuses are left out of pool counts and benchmarks, METHODS §1.2);
the engine scores (x / B, Σ w·item, bonus/penalty), rounds half-up, ranks within the pool with the
tie-break, grades by quota and applies vetoes.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from kaifaqu.mujun.scheme import FIELDS, Indicator, Pool, Scheme
from kaifaqu.mujun.statuses import SCORED, Status
from kaifaqu.scoring import (
    ENGINE_VERSION,
    Framework,
    Node,
    Pipeline,
    UnitData,
    parse_steps,
    quota_counts,
)

MU_PER_M2 = 1 / 666.67
EMISSION_PARTS = ("cod_t", "ammonia_nitrogen_t", "so2_t", "nox_t")
FLOATS = (*FIELDS, "land_area_mu", "leased_floor_area_m2", *EMISSION_PARTS)
# The facts bonus, penalty and veto rules may read (the database's come from enterprise events).
RULE_COLUMNS = (
    "major_accident",
    "safety_accident",
    "environmental_accident",
    "dishonest",
    "bonus_points",
    "penalty_points",
)
INPUT_COLUMNS: dict[str, Any] = {
    "uscc": pl.String,
    "name": pl.String,
    "year": pl.Int64,
    "above_scale": pl.Boolean,
    "industry_code": pl.String,
    **dict.fromkeys(FLOATS, pl.Float64),
    "registration_date": pl.Date,
    "first_above_scale_year": pl.Int64,
    "land_completion_date": pl.Date,
    "merger_date": pl.Date,
    "exempt": pl.Boolean,
    "status_flag": pl.String,
    "tags": pl.String,
    **dict.fromkeys(RULE_COLUMNS, pl.Float64),
}


class EvaluationError(ValueError):
    """The data cannot be evaluated under the scheme (e.g. the prior year a benchmark needs)."""


@dataclass
class Evaluation:
    """Per-enterprise results (``frame``), benchmarks used per pool, and the run's record.

    ``cutoffs`` holds, per pool, what scoring one enterprise again needs beside the benchmarks:
    the least total of each grade but the last (``floors``, :func:`grade_floors`) and the values a
    missing pool-average indicator gets (``fills``).
    """

    frame: pl.DataFrame
    benchmarks: dict[str, dict[str, float]]
    log: dict[str, Any] = field(default_factory=dict)
    cutoffs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        by_status = self.frame.group_by("status").len().rows()
        return {"units": self.frame.height, **{str(k): int(v) for k, v in by_status}}


def evaluate(
    frame: pl.DataFrame, scheme: Scheme, year: int, prior: pl.DataFrame | None = None
) -> Evaluation:
    """Evaluate ``frame`` (one row per enterprise of ``year``); ``prior`` is the year before."""
    data = prepare(frame, scheme, year)
    benchmarks: dict[str, dict[str, float]] = {}
    parts = [
        data.filter(
            ~pl.col("pool").is_in([p.code for p in scheme.pools]) | pl.col("pool").is_null()
        )
    ]
    engine_logs = {}
    cutoffs: dict[str, dict[str, Any]] = {}
    for pool in scheme.pools:
        members = data.filter(pl.col("pool") == pool.code)
        if members.height == 0:
            continue
        benchmarks[pool.code] = _benchmarks(data, pool, scheme, year, prior)
        fills = _pool_fills(members, pool, scheme, benchmarks[pool.code])
        scored, engine_logs[pool.code] = _score_pool(
            fill_missing(members, fills), pool, scheme, benchmarks[pool.code]
        )
        floors = grade_floors(scored, scheme)
        cutoffs[pool.code] = {"floors": floors, "fills": fills}
        parts.append(_next_grade(scored, pool, scheme, benchmarks[pool.code], floors))
    result = pl.concat(parts, how="diagonal_relaxed").sort("row")
    log = {
        "scheme": scheme.id,
        "scheme_digest": scheme.digest,
        "engine_version": ENGINE_VERSION,
        "input_hash": input_digest(frame),
        "year": year,
        "pools": engine_logs,
    }
    return Evaluation(frame=result, benchmarks=benchmarks, log=log, cutoffs=cutoffs)


@dataclass(frozen=True)
class Scored:
    """One enterprise scored alone by :func:`score_one`."""

    pool: str | None
    status: str
    reason: str
    values: dict[str, float | None]
    items: dict[str, float | None]
    total: float | None = None
    grade: str | None = None
    managed_grade: str | None = None
    warnings: list[str] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)


def score_one(
    frame: pl.DataFrame,
    scheme: Scheme,
    year: int,
    benchmarks: dict[str, dict[str, float]],
    cutoffs: dict[str, dict[str, Any]],
) -> Scored:
    """Score the one enterprise of ``frame`` as its run did, at the run's stored benchmarks,
    pool-average fills and grade floors (``Evaluation.cutoffs``): the others held as they were.

    Without the run's cut-offs for its pool (a run stored before they were kept) the unit is
    scored but not graded.
    """
    data = prepare(frame, scheme, year)
    code = data["pool"][0]
    if code not in benchmarks:
        return _scored(data.row(0, named=True), ())
    pool = scheme.pool(code)
    stored = cutoffs.get(code)
    filled = fill_missing(data, stored["fills"] if stored else {})
    floors = stored["floors"] if stored else [math.inf] * (len(scheme.grading.grades) - 1)
    scored, _ = _score_pool(filled, pool, scheme, benchmarks[code], floors)
    row = scored.with_columns(stored_precision(scored.columns)).row(0, named=True)
    if stored is None:
        row |= {"grade": None, "managed_grade": None}
    return _scored(row, pool.weights)


def stored_precision(columns: Iterable[str]) -> list[pl.Expr]:
    """Indicator values (``v:``) to six significant figures and item scores (``s:``) to four
    decimals, as a run stores them; the total is published to two. Full float digits made a
    million stored results 40% larger to write."""
    return [
        pl.col(c).round_sig_figs(6) if c.startswith("v:") else pl.col(c).round(4)
        for c in columns
        if c.startswith(("v:", "s:"))
    ]


def _scored(row: dict[str, Any], codes: Iterable[str]) -> Scored:
    return Scored(
        pool=row["pool"],
        status=row["status"],
        reason=row["reason"],
        values={c: row.get(f"v:{c}") for c in codes},
        items={c: row.get(f"s:{c}") for c in codes},
        total=row.get("total"),
        grade=row.get("grade"),
        managed_grade=row.get("managed_grade"),
        warnings=list(row["warnings"]),
        vetoes=list(row.get("vetoes") or []),
    )


def input_digest(frame: pl.DataFrame) -> str:
    """A hash of the input rows (order-independent), so a run can show what it read."""
    if frame.height == 0:
        return "sha256:empty"
    hashed = frame.select(sorted(frame.columns)).hash_rows(seed=20260101).sort()
    import hashlib

    return "sha256:" + hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()


# --- preparation: columns, pools, statuses, indicator values -------------------------------------


def conform(frame: pl.DataFrame) -> pl.DataFrame:
    """Every canonical column present with its type (absent ones as null)."""
    columns = []
    for name, dtype in INPUT_COLUMNS.items():
        if name in frame.columns:
            columns.append(pl.col(name).cast(dtype, strict=False))
        else:
            columns.append(pl.lit(None, dtype=dtype).alias(name))
    return frame.select(columns).with_row_index("row")


def prepare(frame: pl.DataFrame, scheme: Scheme, year: int) -> pl.DataFrame:
    data = conform(frame)
    data = data.with_columns(_emission(data), *_land(scheme))
    data = data.with_columns(_pool_expr(scheme)).with_columns(_status(scheme, year))
    data = data.with_columns(
        pl.lit([], dtype=pl.List(pl.String)).alias("warnings"), pl.lit(False).alias("unscorable")
    )
    for pool in scheme.pools:
        data = _indicator_values(data, pool, scheme)
    return data


def _emission(data: pl.DataFrame) -> pl.Expr:
    """主要污染物排放量: given, else the sum of COD, 氨氮, SO₂ and NOx present (METHODS §1.1)."""
    parts = [pl.col(c) for c in EMISSION_PARTS]
    any_part = pl.any_horizontal([p.is_not_null() for p in parts])
    summed = pl.when(any_part).then(pl.sum_horizontal(parts))
    return pl.coalesce(pl.col("emission_t"), summed).alias("emission_t")


def _land(scheme: Scheme) -> list[pl.Expr]:
    """Land held; without it, leased plant converted to mu where the scheme admits it."""
    held = pl.col("land_area_mu")
    minimum = scheme.leased_min_m2
    leased_ok = pl.col("leased_floor_area_m2") >= (minimum if minimum is not None else float("inf"))
    use_leased = (held.is_null() | (held <= 0)) & leased_ok.fill_null(False)
    return [
        pl.when(use_leased)
        .then(pl.col("leased_floor_area_m2") * MU_PER_M2)
        .otherwise(held)
        .alias("land_area_mu"),
        use_leased.alias("leased"),
    ]


def _pool_expr(scheme: Scheme) -> pl.Expr:
    """The first pool whose scale (规上/规下) and land kind match; none if nothing matches."""
    expr: Any = pl.lit(None, dtype=pl.String)
    for pool in reversed(scheme.pools):
        scale = pl.lit(True)
        if pool.scale != "any":
            scale = pl.col("above_scale").fill_null(False) == (pool.scale == "above")
        kind = pl.col("leased") if pool.leased else pl.lit(True)
        if pool.tag:
            kind = kind & has_tag(pool.tag)
        expr = pl.when(scale & kind).then(pl.lit(pool.code)).otherwise(expr)
    pool_column: pl.Expr = expr.alias("pool")
    return pool_column


TAG_SEPARATORS = "、,,;; "


def has_tag(tag: str) -> pl.Expr:
    """Whether the ``tags`` text (names joined by 、 , ; or spaces) holds ``tag`` itself."""
    edge = f"[{TAG_SEPARATORS}]"
    pattern = f"(^|{edge}){re.escape(tag)}($|{edge})"
    return pl.col("tags").str.contains(pattern).fill_null(False)


def _years_since(column: str, year: int) -> pl.Expr:
    return pl.lit(year) - pl.col(column).dt.year()


def _status(scheme: Scheme, year: int) -> list[pl.Expr]:
    """Scope and statuses (METHODS §1.2); a bureau's 状态标记 overrides the derived status."""
    industry = pl.col("industry_code").str.slice(0, 2)
    ranges = [spec.partition("-") for spec in scheme.industry_codes]
    in_scope = pl.lit(not ranges)
    for low, _, high in ranges:
        in_scope = in_scope | industry.is_between(pl.lit(low), pl.lit(high or low))
    in_scope = in_scope | pl.col("industry_code").is_null()
    exempt = pl.col("exempt").fill_null(False) | industry.is_in(list(scheme.exempt_industries))
    recent = scheme.protected_years
    protected = (
        (_years_since("registration_date", year) < recent).fill_null(False)
        | (pl.col("first_above_scale_year") == year).fill_null(False)
        | (_years_since("land_completion_date", year) < recent).fill_null(False)
        | (_years_since("merger_date", year) < recent).fill_null(False)
    )
    small = (~pl.col("above_scale").fill_null(False)) & (
        pl.col("land_area_mu").fill_null(0) < scheme.land_threshold_mu
    )
    flag = pl.col("status_flag").str.strip_chars()
    derived = (
        pl.when(~in_scope)
        .then(pl.lit(Status.OUT_OF_SCOPE))
        .when(pl.col("pool").is_null())
        .then(pl.lit(Status.OUT_OF_SCOPE))
        .when(flag == "免评")
        .then(pl.lit(Status.EXEMPT))
        .when(flag == "保护期")
        .then(pl.lit(Status.PROTECTED))
        .when(flag == "不定等级")
        .then(pl.lit(Status.UNGRADED))
        .when(exempt)
        .then(pl.lit(Status.EXEMPT))
        .when(small & pl.col("land_area_mu").fill_null(0).gt(0))
        .then(pl.lit(Status.OUT_OF_SCOPE))
        .when(protected)
        .then(pl.lit(Status.PROTECTED))
        .otherwise(pl.lit(Status.GRADED))
    )
    reason = (
        pl.when(~in_scope)
        .then(pl.lit("行业不在评价范围"))
        .when(pl.col("pool").is_null())
        .then(pl.lit("不属于任何评价池"))
        .when(flag.is_in(["免评", "保护期", "不定等级"]))
        .then(pl.lit("主管部门标记:") + flag)
        .when(exempt)
        .then(pl.lit("免评行业或军工、公用事业企业"))
        .when(small & pl.col("land_area_mu").fill_null(0).gt(0))
        .then(pl.lit(f"规下企业用地不足{scheme.land_threshold_mu:g}亩"))
        .when(protected)
        .then(pl.lit(f"成立、竣工投产或兼并重组未满{recent}年,或首年升规"))
        .otherwise(pl.lit(""))
    )
    return [derived.alias("status"), reason.alias("reason")]


def _indicator_values(data: pl.DataFrame, pool: Pool, scheme: Scheme) -> pl.DataFrame:
    """Each weighted indicator of the pool: its value, or what its missing-data rule gives."""
    member = pl.col("pool") == pool.code
    for code in pool.weights:
        ind = scheme.indicators[code]
        numerator, denominator = pl.col(ind.numerator), pl.col(ind.denominator)
        usable = numerator.is_not_null() & (denominator > 0).fill_null(False)
        value = numerator / denominator
        if ind.factor != 1.0:
            value = value * ind.factor
        data = data.with_columns(
            pl.when(member & usable)
            .then(value)
            .when(member & pl.lit(ind.missing == "zero"))
            .then(pl.lit(0.0))
            .otherwise(pl.col(f"v:{code}") if f"v:{code}" in data.columns else None)
            .alias(f"v:{code}"),
            pl.when(member & ~usable)
            .then(pl.col("warnings").list.concat(pl.lit([_warning(ind)])))
            .otherwise(pl.col("warnings"))
            .alias("warnings"),
        )
        if ind.missing == "exclude":
            data = data.with_columns(_exclude(member & ~usable, ind, pool))
    return data


def _warning(ind: Indicator) -> str:
    field_name = FIELDS[ind.denominator]
    outcome = {
        "exclude": "不参加本池评价",
        "pool_average": "该项按池内平均得分计",
        "zero": "该项按0分计",
    }[ind.missing]
    return f"{field_name}或{FIELDS[ind.numerator]}缺失或为零,{outcome}"


def _exclude(condition: pl.Expr, ind: Indicator, pool: Pool) -> list[pl.Expr]:
    hit = condition & (pl.col("status") == Status.GRADED)
    other = condition & pl.col("status").is_in(list(SCORED))
    return [
        (pl.col("unscorable") | other).alias("unscorable"),
        pl.when(hit).then(pl.lit(Status.NOT_EVALUATED)).otherwise(pl.col("status")).alias("status"),
        pl.when(hit)
        .then(pl.lit(f"{FIELDS[ind.denominator]}缺失或为零,不参加{pool.name}评价"))
        .otherwise(pl.col("reason"))
        .alias("reason"),
    ]


# --- benchmarks and the pool-average rule --------------------------------------------------------


def _graded_values(data: pl.DataFrame, pool: Pool, code: str) -> pl.Series:
    """Values of graded units of the pool with real data (statuses and filled values left out)."""
    ind_missing = f"v:{code}"
    rows = data.filter(
        (pl.col("pool") == pool.code)
        & (pl.col("status") == Status.GRADED)
        & pl.col(ind_missing).is_not_null()
    )
    return rows[ind_missing]


def _benchmarks(
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


def _pool_fills(
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
    """Missing pool-average indicators take the pool's fill value (:func:`_pool_fills`)."""
    if not fills:
        return members
    return members.with_columns(pl.col(f"v:{code}").fill_null(v) for code, v in fills.items())


# --- the engine ----------------------------------------------------------------------------------


def engine_steps(
    pool: Pool,
    scheme: Scheme,
    benchmarks: dict[str, float],
    columns: set[str],
    floors: list[float | None] | None = None,
) -> list[dict[str, Any]]:
    """The engine's steps for one pool: x/B, Σ w·item, bonus/penalty, round, rank, grade, veto.

    With ``floors`` (a run's stored :func:`grade_floors`), grades are read off those totals
    instead of being shared out among the units, so a single enterprise can be graded alone.
    """
    grading = scheme.grading
    tie = [grading.tie_break] if grading.tie_break in pool.weights else []
    steps = _normalise_steps(pool, benchmarks, tie)
    steps.append({"kind": "aggregate", "method": "sum"})
    for rule in scheme.rules:
        if rule.action in ("bonus", "penalty") and rule.column in columns:
            steps.append(_rule_step(rule))
    steps += [
        {"kind": "round", "digits": 2, "codes": ["total"]},
        {"kind": "rank", "within": "graded_pool", "tie_break": tie, "name": "rank"},
        _classify_step(scheme, tie, floors),
    ]
    for rule in scheme.rules:
        if rule.action not in ("bonus", "penalty") and rule.column in columns:
            steps.append(_rule_step(rule))
    return steps


def _normalise_steps(
    pool: Pool, benchmarks: dict[str, float], tie: list[str]
) -> list[dict[str, Any]]:
    """x/B with the pool's caps: one step per distinct cap, since the engine caps a whole step.

    The tie-break's step comes last: the engine breaks ties on the values that entered the last
    normalisation, which must be the raw 亩均税收 rather than an already normalised ratio.
    """
    groups: dict[float | None, list[str]] = {}
    for code in pool.weights:
        groups.setdefault(pool.caps.get(code), []).append(code)
    steps = []
    for cap, codes in sorted(groups.items(), key=lambda group: any(c in tie for c in group[1])):
        step: dict[str, Any] = {
            "kind": "normalise",
            "method": "benchmark",
            "benchmarks": {code: benchmarks[code] for code in codes},
        }
        if len(groups) > 1:
            step["indicators"] = codes
        if cap is not None:
            step["cap"] = cap
        steps.append(step)
    return steps


def _rule_step(rule: Any) -> dict[str, Any]:
    step = {"kind": "rule", "action": rule.action, "column": rule.column, "name": rule.name}
    if rule.action in ("bonus", "penalty"):
        step["points"] = rule.points
        if rule.max_points is not None:
            step["max_points"] = rule.max_points
    if rule.action == "force_grade":
        step["grade"] = rule.grade
    return step


def _classify_step(
    scheme: Scheme, tie: list[str], floors: list[float | None] | None
) -> dict[str, Any]:
    grading = scheme.grading
    step: dict[str, Any] = {
        "kind": "classify",
        "method": grading.method,
        "score": "total",
        "grades": list(grading.grades),
        "ungraded": {"column": "status", "values": [s for s in SCORED if s != Status.GRADED]},
    }
    if floors is not None:
        # A grade no unit reached has no floor: nothing scores into it.
        lines = [math.inf if f is None else f for f in floors]
        step |= {"method": "thresholds", "thresholds": lines}
    elif grading.method == "quota":
        step |= {"shares": list(grading.shares), "rounding": grading.rounding, "tie_break": tie}
    else:
        step["thresholds"] = list(grading.thresholds)
    if grading.c_minus_below is not None:
        step["bands"] = [
            {"grade": "C", "label": grading.c_minus_label, "below": grading.c_minus_below}
        ]
    return step


def _score_pool(
    members: pl.DataFrame,
    pool: Pool,
    scheme: Scheme,
    benchmarks: dict[str, float],
    floors: list[float | None] | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    scored_mask = pl.col("status").is_in(list(SCORED)) & ~pl.col("unscorable")
    units = members.filter(scored_mask)
    rest = members.filter(~scored_mask)
    if units.height == 0:
        return rest, {}
    codes = list(pool.weights)
    framework = Framework(
        [Node(c, parent="total", weight=pool.weights[c]) for c in codes]
        + [Node("total", "Aggregate")]
    )
    status = units["status"].to_numpy().astype(object)
    attributes: dict[str, np.ndarray] = {
        "status": status,
        "graded_pool": np.where(status == Status.GRADED, "p", np.array(None)).astype(object),
    }
    present = {c for c in RULE_COLUMNS if units[c].null_count() < units.height}
    for column in present:
        attributes[column] = units[column].fill_null(0).to_numpy().astype(np.float64)
    data = UnitData(
        codes=units["row"].to_numpy().astype(object),
        indicators=tuple(codes),
        values=np.asfortranarray(np.column_stack([units[f"v:{c}"].to_numpy() for c in codes])),
        attributes=attributes,
    )
    steps = engine_steps(pool, scheme, benchmarks, present, floors)
    results = Pipeline(framework, data, parse_steps(steps)).run()
    # With caps there is one normalise step per cap; the last one holds every item.
    normalised = [d for name, d in results.datasets.items() if name.startswith("Normalised")][-1]
    rank = results.ranks["rank"].column("total")
    out = units.with_columns(
        *[pl.Series(f"s:{c}", normalised.column(c) * pool.weights[c]) for c in codes],
        pl.Series("total", results.scores.column("total")),
        pl.Series("rank", rank).cast(pl.Int64, strict=False),
        pl.Series("grade", results.grades["grade"].tolist(), dtype=pl.String),
    )
    out = out.join(_vetoes(results), on="row", how="left", maintain_order="left").with_columns(
        pl.col("vetoes").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )
    out = out.with_columns(
        pl.when(pl.col("status") == Status.UNGRADED)
        .then(pl.lit(scheme.ungraded_as))
        .otherwise(pl.col("grade"))
        .alias("managed_grade")
    )
    log = {k: results.log[k] for k in ("input_hash", "steps_hash", "steps", "units_in")}
    return pl.concat([out, rest], how="diagonal_relaxed"), log


def _vetoes(results: Any) -> pl.DataFrame:
    """The grade rules that fired, listed per unit (few units: a join, not a list per unit)."""
    fired = [r for r in results.rules if r.action in ("force_grade", "drop_grade", "cancel")]
    return (
        pl.DataFrame(
            {
                "row": [int(r.unit) for r in fired],
                "veto": [f"{r.rule}:{r.before or '—'}→{r.after or '—'}" for r in fired],
            },
            schema={"row": pl.UInt32, "veto": pl.String},
        )
        .group_by("row", maintain_order=True)
        .agg(pl.col("veto").alias("vetoes"))
    )


# --- grade floors and what it takes to reach the next grade ------------------------------------


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


def _next_grade(
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
