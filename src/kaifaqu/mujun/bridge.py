"""The ORM-to-engine adapter: one narrow projection of EnterpriseYear into Polars, and back.

Reads go through ``restrict`` as the run's owner; the projection is fetched with one cursor so a
million rows cost one query, and results are written back in bulk (PostgreSQL: COPY).
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import polars as pl
from django.db import connection
from django.db.models import Max, Q, QuerySet, Sum

from kaifaqu.access.scope import region_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.core.bulk import insert_frame, read_frame
from kaifaqu.enterprises.choices import EventKind
from kaifaqu.enterprises.models import (
    STATISTICS_FIELDS,
    Enterprise,
    EnterpriseEvent,
    EnterpriseYear,
)
from kaifaqu.mujun.choices import POINTS_COLUMNS
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry
from kaifaqu.zones.models import Zone

# EnterpriseYear (and its enterprise) columns → the evaluation's canonical names.
PROJECTION = {
    "enterprise_id": "enterprise_id",
    "zone_id": "zone_id",
    "enterprise__uscc": "uscc",
    "enterprise__name": "name",
    "year": "year",
    "above_scale": "above_scale",
    "enterprise__industry__code": "industry_code",
    "tax_paid": "tax_paid",
    "value_added": "value_added",
    "operating_revenue": "operating_revenue",
    "main_business_revenue": "main_business_revenue",
    "land_area_mu": "land_area_mu",
    "leased_floor_area_m2": "leased_floor_area_m2",
    "energy_tce": "energy_tce",
    "electricity_10k_kwh": "electricity_10k_kwh",
    "cod_t": "cod_t",
    "ammonia_nitrogen_t": "ammonia_nitrogen_t",
    "so2_t": "so2_t",
    "nox_t": "nox_t",
    "rd_expenditure": "rd_expenditure",
    "avg_employees": "avg_employees",
    "enterprise__registration_date": "registration_date",
    "enterprise__first_above_scale_year": "first_above_scale_year",
    "enterprise__land_completion_date": "land_completion_date",
    "enterprise__merger_date": "merger_date",
    "enterprise__exempt_military": "exempt_military",
    "enterprise__exempt_utility": "exempt_utility",
}
# The projection's statistics, as floats (the rest are keys, codes, flags and dates).
NUMERIC = [path for path, name in PROJECTION.items() if name in STATISTICS_FIELDS]
# Accident kinds → the rule column that counts them in the year.
ACCIDENTS = {
    EventKind.MAJOR_SAFETY_ACCIDENT: "safety_accident",
    EventKind.MAJOR_ENVIRONMENTAL_ACCIDENT: "environmental_accident",
}


def run_years(run: EvaluationRun, user: ActingUser, year: int) -> QuerySet[EnterpriseYear]:
    """The enterprise-years of ``year`` in the run's jurisdiction that ``user`` may read."""
    rows = EnterpriseYear.objects.restrict(user, "view").filter(year=year)
    if run.zone_id:
        return rows.filter(zone_id=run.zone_id)
    # The zone ids as literals, not a join to regions: the planner cannot estimate a code-prefix
    # match and chose a million index lookups (12.4 s on 1M rows, against 4.1 s by merge join).
    inside = region_condition(run.region, province_field="province_code", code_field="region__code")
    zones = Zone.objects.filter(inside).values_list("pk", flat=True)
    return rows.filter(province_code=run.province_code, zone_id__in=list(zones))


def extract(run: EvaluationRun, user: ActingUser, year: int) -> pl.DataFrame:
    """One narrow frame: a row per enterprise-year, that year's rule facts from events, and the
    tags the scheme's pools select by."""
    years = run_years(run, user, year)
    frame = read_frame(years, list(PROJECTION), floats=NUMERIC).rename(PROJECTION)
    frame = frame.with_columns(
        (pl.col("exempt_military") | pl.col("exempt_utility")).alias("exempt")
    )
    return pool_tags(rule_facts(frame, year), run.document().pool_tags())


def pool_tags(frame: pl.DataFrame, tags: list[str]) -> pl.DataFrame:
    """The ``tags`` column: which of the pools' tags each enterprise carries (joined by 、)."""
    if not tags:
        return frame
    through = Enterprise.tags.through.objects.filter(tag__name__in=tags)
    carried = read_frame(through, ["enterprise_id", "tag__name"]).rename({"tag__name": "tag"})
    joined = carried.group_by("enterprise_id").agg(
        pl.col("tag").sort().str.join("、").alias("tags")
    )
    return frame.join(joined, on="enterprise_id", how="left", maintain_order="left")


def rule_facts(frame: pl.DataFrame, year: int) -> pl.DataFrame:
    """The facts the scheme's bonus, penalty and veto rules read, from events and entered points.

    Accidents of the year are counted per kind (``safety_accident``, ``environmental_accident``)
    and together (``major_accident``), so a penalty rule deducts per accident and a veto fires on
    any. ``dishonest`` marks an enterprise on the 失信 list at any time in the year: listed in
    it, or listed before it and not removed by its start. ``bonus_points`` / ``penalty_points``
    sum the points the bureau entered for the year, per kind. Nothing recorded stays null, which
    a rule reads as 0.
    """
    found = _event_facts(year) | _entered_points(year)
    # The facts concern few enterprises: a small frame joined on, rather than a list per row.
    ids = sorted(set().union(*found.values()))
    facts = pl.DataFrame(
        {"enterprise_id": ids, **{c: [by_id.get(i) for i in ids] for c, by_id in found.items()}},
        schema={"enterprise_id": pl.Int64, **dict.fromkeys(found, pl.Float64)},
    )
    accident_columns = [pl.col(c) for c in ACCIDENTS.values()]
    major = pl.when(pl.any_horizontal(c.is_not_null() for c in accident_columns)).then(
        pl.sum_horizontal(accident_columns)
    )
    return (
        frame.with_columns(pl.col("enterprise_id").cast(pl.Int64))
        .join(facts, on="enterprise_id", how="left", maintain_order="left")
        .with_columns(major.alias("major_accident"))
    )


def _event_facts(year: int) -> dict[str, dict[int, float]]:
    """Per rule column, the enterprises the year's recorded events concern and their value."""
    start = date(year, 1, 1)
    events = (
        EnterpriseEvent.objects.filter(
            Q(kind__in=list(ACCIDENTS), date__gte=start)
            | Q(kind__in=[EventKind.DISHONEST_LISTED, EventKind.DISHONEST_REMOVED]),
            date__lte=date(year, 12, 31),
            enterprise__years__year=year,
        )
        .order_by("enterprise_id", "date", "pk")
        .values_list("enterprise_id", "kind", "date")
    )
    accidents: dict[str, Counter[int]] = {column: Counter() for column in ACCIDENTS.values()}
    listed_at_start: dict[int, bool] = {}
    dishonest: set[int] = set()
    for enterprise_id, kind, day in events.iterator():
        if kind in ACCIDENTS:
            accidents[ACCIDENTS[kind]][enterprise_id] += 1
        elif day < start:
            listed_at_start[enterprise_id] = kind == EventKind.DISHONEST_LISTED
        elif kind == EventKind.DISHONEST_LISTED:
            dishonest.add(enterprise_id)
    dishonest |= {e for e, listed in listed_at_start.items() if listed}
    return {
        **{
            column: {e: float(n) for e, n in counts.items()} for column, counts in accidents.items()
        },
        "dishonest": dict.fromkeys(dishonest, 1.0),
    }


def _entered_points(year: int) -> dict[str, dict[int, float]]:
    """The bureau's bonus and penalty points of the year, summed per enterprise and kind."""
    sums = (
        PointsEntry.objects.filter(year=year)
        .values_list("enterprise_id", "kind")
        .annotate(total=Sum("points"))
        .order_by()
    )
    found: dict[str, dict[int, float]] = {column: {} for column in POINTS_COLUMNS.values()}
    for enterprise_id, kind, total in sums:
        found[POINTS_COLUMNS[kind]][enterprise_id] = float(total)
    return found


def apply_corrections(
    frame: pl.DataFrame, corrections: dict[str, dict[str, float]]
) -> pl.DataFrame:
    """Accepted objections' corrected values over the extract (keyed by enterprise id)."""
    if not corrections or frame.height == 0:
        return frame
    for enterprise_id, values in corrections.items():
        hit = pl.col("enterprise_id") == int(enterprise_id)
        frame = frame.with_columns(
            [
                pl.when(hit).then(pl.lit(float(v))).otherwise(pl.col(k)).alias(k)
                for k, v in values.items()
            ]
        )
    return frame


# --- write-back ----------------------------------------------------------------------------------


def replace_results(run: EvaluationRun, table: pl.DataFrame) -> int:
    """The run's new results (``table``: a column per EvaluationResult attname, JSON as text) in
    place of its earlier ones; objections move to the new result of their enterprise, so a re-run
    after an accepted objection keeps the objection and its decision.

    The earlier rows go by one DELETE rather than ``QuerySet.delete()``, whose cascade collector
    would load every row (a million) as a model instance first; rows an objection still refers
    to (its enterprise no longer in the data) are kept with it.
    """
    last = EvaluationResult.objects.filter(run=run).aggregate(last=Max("pk"))["last"]
    insert_frame(EvaluationResult, table)
    if last is not None:
        _move_objections(run, last)
        results, objections = EvaluationResult._meta.db_table, Objection._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {results} WHERE run_id = %s AND id <= %s"
                f" AND id NOT IN (SELECT result_id FROM {objections})",
                [run.pk, last],
            )
    return table.height


def _move_objections(run: EvaluationRun, last: int) -> None:
    objections = list(
        Objection.objects.filter(result__run=run, result_id__lte=last).select_related("result")
    )
    if not objections:
        return
    newest = dict(
        EvaluationResult.objects.filter(
            run=run, pk__gt=last, enterprise_id__in={o.result.enterprise_id for o in objections}
        ).values_list("enterprise_id", "pk")
    )
    for objection in objections:
        objection.result_id = newest.get(objection.result.enterprise_id, objection.result_id)
    Objection.objects.bulk_update(objections, ["result"])
