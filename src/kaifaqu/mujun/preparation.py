"""Preparing a year of enterprises for a scheme: the canonical columns, land, pools, statuses
(METHODS §1.2) and each pool's indicator values under their missing-data rules. No Django."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from kaifaqu.mujun.scheme import FIELDS, Indicator, Pool, Scheme
from kaifaqu.mujun.statuses import SCORED, Status

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
