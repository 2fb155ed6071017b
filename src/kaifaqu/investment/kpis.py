"""The 招商 KPIs, computed set-wise: one row per project (its attributes and the first date it
entered each stage, read by a few grouped SQL queries) in a Polars frame, and each figure a
Polars condition over that frame. The count behind a figure and the projects behind it
(``projects_behind``) come from the same condition, so a number and its drill-down agree.

Definitions (the dashboard's help text repeats them; METHODS §6 gives the standards):

- A stage's date is the first effective transition into it; an undone transition (撤销) and the
  undo itself do not count.
- 储备项目库 during a period: projects that entered 储备 on or before its end and had not left
  the pool (签约 or 终止) before its start.
- 签约转化率, period view (seed 001): of the projects in the 储备 pool during the period, the
  share that signed in the period. Cohort view: of the projects that entered 储备 in the
  period, the share that have signed by the as-of date, whenever.
- 主导产业签约占比: of the projects signed in the period, the share flagged 主导产业.
- 当年签约当年开工率: of the projects signed in the period, the share that also started in it
  (signed in December, started in January: not counted for the year signed).
- 开工率: of the projects signed by the period's end, the share started by then; 投产率: of
  those started by the period's end, the share producing by then.
- 履约率: of the signed projects whose planned start falls in the period, the share that
  started on or before the planned date.
- 资金到位率: funds arrived in the period ÷ the year's planned investment (年度计划投资), over
  the projects with a plan for the year.
- 亿元以上 / 50亿元以上: projects signed in the period of at least 10 000 / 500 000 万元 (以上:
  ≥); the floors per zone kind (``ProjectSizeFloor``) say 超 (>) or 以上 (≥) themselves.
- Days in stage (median, p90 with linear interpolation), stalled (over the stage's expected
  days) and the weighted pipeline (Σ total investment × the stage's probability of landing)
  are over the projects open at the as-of date.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, Min, Q, QuerySet, Sum, When

from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.investment.choices import FINAL_STAGES, OPEN_STAGES, ChangeKind, Stage
from kaifaqu.investment.kpi_models import Kpi, KpiStandard, KpiTarget, ProjectSizeFloor
from kaifaqu.investment.models import AnnualPlan, FundArrival, Project, StageChange, StageSetting

# 亿元 in 万元, the unit every amount is kept in.
HUNDRED_MILLION = Decimal(10_000)
FIVE_BILLION = Decimal(500_000)
# A stage's probability of landing is its empirical share once this many projects have left it.
EMPIRICAL_EXITS = 30
MILESTONES = {
    "reserve_on": Stage.RESERVE,
    "signed_on": Stage.SIGNED,
    "started_on": Stage.STARTED,
    "producing_on": Stage.PRODUCING,
    "terminated_on": Stage.TERMINATED,
}
# The dimensions a KPI table is grouped by: the frame's column and its Chinese name.
DIMENSIONS = {
    "zone": ("zone_id", "开发区"),
    "city": ("city_id", "地市"),
    "province": ("province_code", "省份"),
    "industry": ("industry_id", "行业"),
    "person": ("person_id", "负责人"),
}
RATES = (
    Kpi.SIGN_CONVERSION_PERIOD,
    Kpi.SIGN_CONVERSION_COHORT,
    Kpi.LEADING_SHARE,
    Kpi.SAME_YEAR_START,
    Kpi.START_RATE,
    Kpi.PRODUCTION_RATE,
    Kpi.FULFILMENT_RATE,
)
COUNTS = (Kpi.OVER_100M, Kpi.OVER_5BN)
# Figures that are not rates of two counts: the stalled and the open projects (drill-down parts).
STALLED, OPEN = "stalled", "open"


@dataclass(frozen=True)
class Period:
    """A period of signing, starting … (a calendar year unless given), seen at ``as_of``."""

    start: date
    end: date
    as_of: date

    @classmethod
    def year(cls, year: int, as_of: date) -> Period:
        return cls(date(year, 1, 1), min(date(year, 12, 31), as_of), as_of)

    @property
    def plan_year(self) -> int:
        return self.start.year


SCHEMA: dict[str, Any] = {
    "id": pl.Int64,
    "zone_id": pl.Int64,
    "zone_kind": pl.String,
    "city_id": pl.Int64,
    "province_code": pl.String,
    "industry_id": pl.Int64,
    "person_id": pl.Int64,
    "leading": pl.Boolean,
    "amount": pl.Float64,
    "stage": pl.String,
    "stage_entered": pl.Date,
    "planned_start": pl.Date,
    "statistics_on": pl.Date,
}
PROJECT_FIELDS = (
    "id", "zone_id", "zone__kind", "city", "province_code", "industry_id",
    "person_in_charge_id", "leading_industry", "total_investment", "stage", "stage_entered",
    "planned_start_date", "statistics_date",
)  # fmt: skip


def effective_changes() -> QuerySet[StageChange]:
    """Transitions that stand: neither an undo nor undone. (The undone are excluded by a list
    of the few undo entries' targets, not a self-join, which PostgreSQL misestimates.)"""
    undone = StageChange.objects.filter(kind=ChangeKind.UNDO, reverses__isnull=False)
    return StageChange.objects.filter(kind=ChangeKind.TRANSITION).exclude(
        pk__in=undone.values("reverses_id")
    )


def _rows(query: QuerySet[Any], schema: Mapping[str, Any]) -> pl.DataFrame:
    """The rows of ``query`` (a ``values_list``) as a frame of ``schema``. On PostgreSQL they
    come by ``COPY … TO STDOUT`` as CSV straight into Polars, not as Python objects one value
    at a time (which costs more than the query at a province's scale)."""
    if connection.vendor != "postgresql":
        return pl.DataFrame(list(query), schema=schema, orient="row")
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a query Django knows to be empty: ``none()``, ``zone__in=[]``
        return pl.DataFrame(schema=schema)
    buffer = io.BytesIO()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy,
    ):
        for block in copy:
            buffer.write(block)
    booleans = [name for name, kind in schema.items() if kind == pl.Boolean]
    text = {name: pl.String if name in booleans else kind for name, kind in schema.items()}
    data = pl.read_csv(buffer.getvalue(), has_header=False, new_columns=list(schema), schema=text)
    return data.with_columns(pl.col(name) == "t" for name in booleans)


def frame(projects: QuerySet[Project], period: Period) -> pl.DataFrame:
    """One row per project of ``projects``: its attributes, stage dates, the year's plan and the
    funds arrived in the period. Four grouped queries; no per-project work in Python."""
    city = Case(
        When(zone__region__level=RegionLevel.CITY, then=F("zone__region_id")),
        default=F("zone__region__parent_id"),
    )
    base = _rows(
        projects.annotate(city=city).values_list(*PROJECT_FIELDS).order_by(), SCHEMA
    ).with_columns(pl.col("amount").fill_null(0.0))
    ids = projects.values("pk")
    # The projects' provinces as values, not a subquery: with them PostgreSQL reads a
    # province's stage history from its covering index; with a subquery, which it cannot size,
    # it scans the whole history.
    provinces = list(projects.values_list("province_code", flat=True).distinct().order_by())
    entered = {
        name: Min("occurred_on", filter=Q(to_stage=stage)) for name, stage in MILESTONES.items()
    }
    left = {_left(stage): Min("occurred_on", filter=Q(from_stage=stage)) for stage in OPEN_STAGES}
    milestones = _rows(
        effective_changes()
        .filter(province_code__in=provinces, project__in=ids)
        .values("project_id")
        .annotate(**entered, **left)
        .values_list("project_id", *entered, *left)
        .order_by(),
        {"id": pl.Int64, **dict.fromkeys([*entered, *left], pl.Date)},
    )
    plans = _rows(
        AnnualPlan.objects.filter(project__in=ids, year=period.plan_year)
        .values_list("project_id", "planned_investment", "completed_investment")
        .order_by(),
        {"id": pl.Int64, "planned": pl.Float64, "completed": pl.Float64},
    )
    funds = _rows(
        FundArrival.objects.filter(
            project__in=ids, arrived_on__gte=period.start, arrived_on__lte=period.end
        )
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
        .order_by(),
        {"id": pl.Int64, "funds": pl.Float64},
    )
    return (
        base.join(milestones, on="id", how="left")
        .join(plans, on="id", how="left")
        .join(funds, on="id", how="left")
        .with_columns(pl.col("funds").fill_null(0.0))
    )


def _left(stage: str) -> str:
    return f"left_{stage}"


def probabilities(data: pl.DataFrame) -> dict[str, float]:
    """Each stage's probability of landing (开工): among the projects of ``data`` that left it,
    the share that have started, once at least ``EMPIRICAL_EXITS`` left it; else the
    setting's."""
    found = {s.stage: float(s.win_probability) for s in StageSetting.objects.all()}
    started = pl.col("started_on").is_not_null()
    counted = data.select(
        *[pl.col(_left(s)).is_not_null().sum().alias(f"{s}:left") for s in OPEN_STAGES],
        *[
            (pl.col(_left(s)).is_not_null() & started).sum().alias(f"{s}:landed")
            for s in OPEN_STAGES
        ],
    ).row(0, named=True)
    for stage in OPEN_STAGES:
        left = counted[f"{stage}:left"]
        if left >= EMPIRICAL_EXITS:
            found[stage] = counted[f"{stage}:landed"] / left
    return found


def _expected_days() -> dict[str, int]:
    return {
        s.stage: s.expected_days
        for s in StageSetting.objects.exclude(expected_days=None)
        if s.expected_days is not None
    }


def with_derived(
    data: pl.DataFrame, period: Period, probability: Mapping[str, float]
) -> pl.DataFrame:
    """Add the columns the conditions read: open, days in stage, stalled, weight."""
    expected = _expected_days()
    open_ = ~pl.col("stage").is_in([str(s) for s in FINAL_STAGES])
    days = (pl.lit(period.as_of) - pl.col("stage_entered")).dt.total_days()
    limit = pl.col("stage").replace_strict(expected, default=None, return_dtype=pl.Int64)
    return data.with_columns(
        open=open_,
        days=pl.when(open_).then(days),
        stalled=open_ & limit.is_not_null() & (days > limit),
        weight=pl.when(pl.col("stage").is_in([str(s) for s in OPEN_STAGES])).then(
            pl.col("amount")
            * pl.col("stage").replace_strict(probability, default=0.0, return_dtype=pl.Float64)
        ),
    )


def _between(column: str, start: date, end: date) -> pl.Expr:
    return pl.col(column).is_between(pl.lit(start), pl.lit(end))


def _by(column: str, end: date) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column) <= pl.lit(end))


def conditions(period: Period) -> dict[str, dict[str, pl.Expr]]:
    """Each figure's parts as conditions over the frame: ``num`` and ``den`` for a rate,
    ``count`` for a count. The figure and its drill-down both read these."""
    start, end = period.start, period.end
    signed_in = _between("signed_on", start, end)
    pool_exit = pl.min_horizontal("signed_on", "terminated_on")
    in_pool = _by("reserve_on", end) & (pool_exit.is_null() | (pool_exit >= pl.lit(start)))
    cohort = _between("reserve_on", start, end)
    signed_by, started_by = _by("signed_on", end), _by("started_on", end)
    fulfilling = pl.col("signed_on").is_not_null() & _between("planned_start", start, end)
    planned = pl.col("planned").is_not_null()
    return {
        Kpi.SIGN_CONVERSION_PERIOD: {"num": in_pool & signed_in, "den": in_pool},
        Kpi.SIGN_CONVERSION_COHORT: {
            "num": cohort & _by("signed_on", period.as_of),
            "den": cohort,
        },
        Kpi.LEADING_SHARE: {"num": signed_in & pl.col("leading"), "den": signed_in},
        Kpi.SAME_YEAR_START: {
            "num": signed_in & _between("started_on", start, end),
            "den": signed_in,
        },
        Kpi.START_RATE: {"num": signed_by & started_by, "den": signed_by},
        Kpi.PRODUCTION_RATE: {"num": started_by & _by("producing_on", end), "den": started_by},
        Kpi.FULFILMENT_RATE: {
            "num": fulfilling & (pl.col("started_on") <= pl.col("planned_start")).fill_null(False),
            "den": fulfilling,
        },
        Kpi.FUNDS_RATE: {"num": planned & (pl.col("funds") > 0), "den": planned},
        Kpi.OVER_100M: {"count": signed_in & (pl.col("amount") >= float(HUNDRED_MILLION))},
        Kpi.OVER_5BN: {"count": signed_in & (pl.col("amount") >= float(FIVE_BILLION))},
        STALLED: {"count": pl.col("stalled")},
        OPEN: {"count": pl.col("open")},
    }


def _floor_condition(floor: ProjectSizeFloor, period: Period) -> pl.Expr:
    amount = pl.col("amount")
    over = amount >= float(floor.amount) if floor.inclusive else amount > float(floor.amount)
    signed_in = _between("signed_on", period.start, period.end)
    return (pl.col("zone_kind") == floor.zone_kind) & signed_in & over


def _aggregations(period: Period, floors: Iterable[ProjectSizeFloor]) -> list[pl.Expr]:
    exprs: list[pl.Expr] = [pl.len().alias("projects")]
    for code, parts in conditions(period).items():
        exprs += [
            condition.fill_null(False).sum().alias(f"{code}:{part}")
            for part, condition in parts.items()
        ]
    exprs += [
        pl.col("funds").filter(pl.col("planned").is_not_null()).sum().alias("funds_arrived"),
        pl.col("planned").sum().alias("funds_planned"),
        pl.col("days").median().alias("days_median"),
        pl.col("days").quantile(0.9, "linear").alias("days_p90"),
        pl.col("weight").sum().alias("weighted_pipeline"),
    ]
    exprs += [
        _floor_condition(floor, period).fill_null(False).sum().alias(f"floor:{floor.pk}")
        for floor in floors
    ]
    return exprs


def table(data: pl.DataFrame, period: Period, by: str | None) -> pl.DataFrame:
    """The figures of ``data`` per value of dimension ``by`` (None: one row for all)."""
    floors = list(ProjectSizeFloor.objects.all())
    if by is None:
        return data.select(_aggregations(period, floors)).with_columns(key=pl.lit(None))
    column = DIMENSIONS[by][0]
    return (
        data.group_by(pl.col(column).alias("key"))
        .agg(_aggregations(period, floors))
        .sort("key", nulls_last=True)
    )


def stage_days(data: pl.DataFrame) -> pl.DataFrame:
    """Median and p90 days in stage, and the stalled count, per stage of the open projects."""
    return (
        data.filter(pl.col("open"))
        .group_by("stage")
        .agg(
            projects=pl.len(),
            median=pl.col("days").median(),
            p90=pl.col("days").quantile(0.9, "linear"),
            stalled=pl.col("stalled").sum(),
        )
    )


def compute(projects: QuerySet[Project], period: Period) -> pl.DataFrame:
    """The frame of ``projects`` with every derived column, ready for ``table``."""
    data = frame(projects, period)
    return with_derived(data, period, probabilities(data))


def projects_behind(
    projects: QuerySet[Project],
    period: Period,
    figure: str,
    part: str,
    by: str | None = None,
    key: Any = None,
) -> QuerySet[Project]:
    """The projects counted in ``figure``'s ``part`` (num, den, count) of the group ``key`` of
    dimension ``by``: the same condition as the figure's."""
    data = compute(projects, period)
    condition = conditions(period)[figure][part]
    if by is not None:
        column = pl.col(DIMENSIONS[by][0])
        condition = condition & (column.is_null() if key is None else column == key)
    ids = data.filter(condition.fill_null(False))["id"].to_list()
    return projects.filter(pk__in=ids)


def rate(numerator: float, denominator: float) -> float | None:
    """A percentage, or None when nothing is counted."""
    return None if not denominator else round(100 * numerator / denominator, 1)


def targets(zone_ids: Iterable[int], year: int) -> dict[tuple[int | None, str], Decimal]:
    """Each zone's target per KPI for ``year``, falling back to the standard (key zone None)."""
    found: dict[tuple[int | None, str], Decimal] = {
        (None, s.kpi): s.value for s in KpiStandard.objects.all()
    }
    for target in KpiTarget.objects.filter(zone_id__in=list(zone_ids), year=year):
        found[(target.zone_id, target.kpi)] = target.value
    return found
