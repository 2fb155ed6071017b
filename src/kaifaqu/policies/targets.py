"""A task's targets bound to the 数据指标库: the indicator's yearly values where the task lies
(its lead unit's zone, else the zones of its division) and the straight-line projection to the
target year, by the assessment targets' projection (``assessment.compute``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Sum

from kaifaqu.access.scope import region_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.compute import projected_share, straight_line
from kaifaqu.policies.models import PolicyTask, TaskTarget
from kaifaqu.zones.models import ZoneYear


def trajectory(target: TaskTarget, task: PolicyTask, user: ActingUser) -> dict[str, Any]:
    """The target with its actual values by year, the projection and its share of the target."""
    row: dict[str, Any] = {"target": target, "years": [], "projected": None, "share": None}
    if target.indicator is None:
        return row
    values = ZoneYear.objects.restrict(user).filter(indicator=target.indicator, value__isnull=False)
    if task.lead_unit.zone_id is not None:
        values = values.filter(zone_id=task.lead_unit.zone_id)
    else:
        region = task.item.region
        values = values.filter(
            region_condition(
                region, province_field="province_code", code_field="zone__region__code"
            )
        )
    series = [
        (year, float(total))
        for year, total in values.values("year")
        .annotate(total=Sum("value"))
        .order_by("year")
        .values_list("year", "total")
    ]
    row["years"] = series
    if target.year is not None and series:
        years, actual = [y for y, _ in series], [v for _, v in series]
        line = straight_line(years, actual, target.year)
        row["projected"] = None if line is None else round(line, 2)
        share = projected_share(
            years, actual, target.year, float(target.value), target.indicator.direction
        )
        row["share"] = None if share is None else round(100 * share)
    return row
