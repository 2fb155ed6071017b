"""The KPI figures as the dashboard, its export and the API present them: each figure's value,
parts, target and definition; the table per dimension; the funnel and the trend. Everything is
read from one ``kpis.compute`` frame."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.contrib.auth import get_user_model

from kaifaqu.catalog.models import Industry, Region
from kaifaqu.investment import kpis
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.kpi_models import Kpi, ProjectSizeFloor
from kaifaqu.zones.models import Zone

# The dashboard's help text: what each figure counts (kpis' docstring has the same rules).
DEFINITIONS: dict[str, str] = {
    Kpi.SIGN_CONVERSION_PERIOD: (
        "期间口径:期内在储备项目库中的项目(期末前入库、期初前未签约或终止)中,"
        "期内签约的比例(001号文口径)"
    ),
    Kpi.SIGN_CONVERSION_COHORT: (
        "批次口径:期内新进入储备项目库的项目中,截至统计日已签约的比例(不论何时签约)"
    ),
    Kpi.LEADING_SHARE: "期内签约项目中主导产业项目的比例",
    Kpi.SAME_YEAR_START: (
        "期内签约项目中期内即开工的比例;12月签约、次年1月开工的项目不计入签约当年"
    ),
    Kpi.START_RATE: "期末前已签约项目中,期末前已开工的比例",
    Kpi.PRODUCTION_RATE: "期末前已开工项目中,期末前已投产的比例",
    Kpi.FULFILMENT_RATE: ("计划开工日期在期内的已签约项目中,按期(不晚于计划开工日期)开工的比例"),
    Kpi.FUNDS_RATE: "有年度投资计划的项目期内到位资金 ÷ 年度计划投资",
    Kpi.OVER_100M: "期内签约、总投资 1 亿元以上(≥1 亿元)的项目数",
    Kpi.OVER_5BN: "期内签约、总投资 50 亿元以上(≥50 亿元)的项目数",
    kpis.STALLED: "在建在谈项目中,在本阶段停留超过该阶段预期天数的项目数",
}
STALLED_LABEL = "停滞项目"
PARTS = {"num": "分子", "den": "分母", "count": "项目"}
# The trend's years before the period's, and its rates.
TREND_YEARS = 5
TREND = (Kpi.SIGN_CONVERSION_PERIOD, Kpi.LEADING_SHARE, Kpi.SAME_YEAR_START)
FUNNEL = (
    ("projects", "全部项目"),
    ("reserve_on", Stage.RESERVE.label),
    ("signed_on", Stage.SIGNED.label),
    ("started_on", Stage.STARTED.label),
    ("producing_on", Stage.PRODUCING.label),
)


@dataclass
class Figure:
    """One KPI of one group: its value (% for a rate, 个 for a count, 万元 for money), its parts
    and the target it is judged against."""

    code: str
    label: str
    unit: str
    value: float | None
    parts: dict[str, float] = field(default_factory=dict)
    target: Decimal | None = None

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return Decimal(str(self.value)) >= self.target

    @property
    def definition(self) -> str:
        return DEFINITIONS.get(self.code, "")


def figures(row: dict[str, Any], targets: dict[str, Decimal]) -> list[Figure]:
    """The figures of one table row, with the targets given by KPI."""
    found = [
        Figure(
            code,
            Kpi(code).label,
            "%",
            kpis.rate(row[f"{code}:num"], row[f"{code}:den"]),
            {"num": row[f"{code}:num"], "den": row[f"{code}:den"]},
            targets.get(code),
        )
        for code in kpis.RATES
    ]
    funds = Figure(
        Kpi.FUNDS_RATE,
        Kpi.FUNDS_RATE.label,
        "%",
        kpis.rate(row["funds_arrived"] or 0, row["funds_planned"] or 0),
        {"num": row[f"{Kpi.FUNDS_RATE}:num"], "den": row[f"{Kpi.FUNDS_RATE}:den"]},
        targets.get(Kpi.FUNDS_RATE),
    )
    counts = [
        Figure(code, Kpi(code).label, "个", row[f"{code}:count"], {"count": row[f"{code}:count"]},
               targets.get(code))
        for code in kpis.COUNTS
    ]  # fmt: skip
    stalled = Figure(
        kpis.STALLED, STALLED_LABEL, "个", row["stalled:count"], {"count": row["stalled:count"]}
    )
    return [*found, funds, *counts, stalled]


def labels(by: str | None, keys: Iterable[Any]) -> dict[Any, str]:
    """The name of each group key of dimension ``by``."""
    wanted = [k for k in keys if k is not None]
    names: dict[Any, str] = {}
    if by == "zone":
        names = dict(Zone.objects.filter(pk__in=wanted).values_list("pk", "name"))
    elif by == "city":
        names = dict(Region.objects.filter(pk__in=wanted).values_list("pk", "name"))
    elif by == "province":
        names = dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))
    elif by == "industry":
        names = dict(Industry.objects.filter(pk__in=wanted).values_list("pk", "name"))
    elif by == "person":
        users = get_user_model().objects.filter(pk__in=wanted)
        names = {u.pk: u.get_full_name() or u.get_username() for u in users}
    return {k: names.get(k, "未填写") if k is not None else "未填写" for k in keys}


@dataclass
class Group:
    key: Any
    name: str
    projects: int
    figures: list[Figure]
    weighted_pipeline: float
    days_median: float | None
    days_p90: float | None
    floors: list[tuple[ProjectSizeFloor, int]]


def groups(
    data: pl.DataFrame, period: kpis.Period, by: str | None, zone: Zone | None = None
) -> list[Group]:
    """The table of ``data`` per group of ``by`` (None: one group, all). A zone's row carries
    its targets (its own for the year, else the standards) and its large-project floors; the
    one group of all carries ``zone``'s targets, or the standards."""
    rows = list(kpis.table(data, period, by).iter_rows(named=True))
    names = labels(by, [r["key"] for r in rows]) if by else {None: "合计"}
    zone_ids = [r["key"] for r in rows] if by == "zone" else [zone.pk] if zone else []
    targets = kpis.targets(zone_ids, period.plan_year)
    floors = list(ProjectSizeFloor.objects.all())
    kinds = dict(Zone.objects.filter(pk__in=zone_ids).values_list("pk", "kind"))
    found = []
    for row in rows:
        target_zone = row["key"] if by == "zone" else zone.pk if zone else None
        own = {
            kpi: value
            for kpi in Kpi.values
            if (value := targets.get((target_zone, kpi), targets.get((None, kpi)))) is not None
        }
        kind = kinds.get(target_zone)
        zone_floors = [(f, row[f"floor:{f.pk}"]) for f in floors if f.zone_kind == kind]
        found.append(
            Group(
                row["key"],
                names[row["key"]],
                row["projects"],
                figures(row, own),
                row["weighted_pipeline"] or 0.0,
                row["days_median"],
                row["days_p90"],
                zone_floors,
            )
        )
    return found


def funnel(data: pl.DataFrame) -> list[tuple[str, int]]:
    """How many projects ever reached each stage of the main line (a funnel)."""
    counts = data.select(
        pl.len().alias("projects"),
        *[pl.col(c).is_not_null().sum().alias(c) for c, _ in FUNNEL[1:]],
    ).row(0, named=True)
    return [(label, counts[column]) for column, label in FUNNEL]


def trend(
    data: pl.DataFrame, period: kpis.Period
) -> tuple[list[int], dict[str, list[float | None]]]:
    """The trend rates for the period's year and the years before it, from the same frame."""
    years = list(range(period.plan_year - TREND_YEARS + 1, period.plan_year + 1))
    lines: dict[str, list[float | None]] = {code: [] for code in TREND}
    for year in years:
        row = kpis.table(data, kpis.Period.year(year, period.as_of), None).row(0, named=True)
        for code in TREND:
            lines[code].append(kpis.rate(row[f"{code}:num"], row[f"{code}:den"]))
    return years, lines


def stages(data: pl.DataFrame) -> list[dict[str, Any]]:
    """Days in stage and stalled counts per stage, in the pipeline's order."""
    found = {r["stage"]: r for r in kpis.stage_days(data).iter_rows(named=True)}
    return [{**found[stage.value], "stage": stage.label} for stage in Stage if stage.value in found]
