"""What a zone map draws, as JSON for ``static/maps/maps.js``: outlines of the divisions around the
user's scope and the zones in it, each with the value that colours it.

Outlines are geography and shown around any scope; zones are scoped: a zone the user may not see
is not on their map, whatever list of results the page hands in.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max, Q

from kaifaqu.access.choices import Binding
from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.catalog.models import Region
from kaifaqu.core.charts import readable_money, series
from kaifaqu.maps.models import Boundary
from kaifaqu.zones.models import Zone, ZoneYearSummary
from kaifaqu.zones.validators import polygons

Value = Decimal | float | int | None
# The deepest division a map is drawn for: a city with its counties. A county has no children
# drawn, so a user bound to one sees the county's city around it.
DEEPEST = RegionLevel.CITY


def map_region(user: ActingUser) -> Region | None:
    """The division a user's map shows: the region the role is bound to, else the smallest one
    holding all the user's zones (a city at most); None for a superuser, who sees every province."""
    profile = user_profile(user)
    if profile is None or profile.role is None:
        return None
    if profile.role.binding == Binding.REGION and profile.region is not None:
        region: Region | None = profile.region
    elif profile.role.binding == Binding.ZONE:
        region = _common_region([z.region for z in profile.zones.all()])
    elif profile.enterprise is not None:
        region = profile.enterprise.zone.region
    else:
        return None
    while region is not None and region.level not in (RegionLevel.PROVINCE, DEEPEST):
        region = region.parent
    return region


def _common_region(regions: list[Region]) -> Region | None:
    if not regions:
        return None
    shared = set.intersection(*({*r.ancestor_codes(), r.code} for r in regions))
    return Region.objects.filter(code__in=shared).order_by("-code").first()


def outlines(region: Region | None) -> dict[str, Any]:
    """A FeatureCollection: the region and its children, or every province for no region."""
    if region is None:
        boundaries = Boundary.objects.filter(region__level=RegionLevel.PROVINCE)
    else:
        boundaries = Boundary.objects.filter(Q(region=region) | Q(region__parent=region))
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "name": b.region.name,
                    "code": b.region.code,
                    "outer": region is not None and b.region_id == region.pk,
                },
                "geometry": b.geometry,
            }
            for b in boundaries.select_related("region").order_by("region__code")
        ],
    }


def zone_map(
    user: ActingUser,
    *,
    title: str,
    metric: str,
    unit: str,
    values: dict[int, Value],
    zones: Iterable[Zone] | None = None,
) -> dict[str, Any]:
    """The map's JSON: outlines, and the user's zones among ``zones`` (default: all they see),
    each with its value from ``values`` (by zone id; missing ones are drawn grey)."""
    visible = Zone.objects.restrict(user, "view").select_related("region")
    if zones is not None:
        visible = visible.filter(pk__in=[z.pk for z in zones])
    listed = [(z, position(z)) for z in visible.order_by("code")]
    shown = [(z, at) for z, at in listed if at is not None]
    line = readable_money([series(metric, unit, [values.get(z.pk) for z, _ in shown])])[0]
    region = map_region(user)
    return {
        "name": f"outline-{region.code if region else 'all'}",
        "title": title,
        "metric": {"name": metric, "unit": line["unit"]},
        "outlines": outlines(region),
        "zones": [
            {
                "name": z.name,
                "kind": z.get_kind_display(),
                "region": z.region.name,
                "lng": at[0],
                "lat": at[1],
                "value": value,
                "href": z.get_absolute_url(),
            }
            for (z, at), value in zip(shown, line["values"], strict=True)
        ],
        "unplaced": len(listed) - len(shown),
    }


def position(zone: Zone) -> tuple[float, float] | None:
    """Where a zone is drawn: its registered centre, else the middle of its boundary's outer
    rings; None when it has neither (or only a boundary stored before it was validated)."""
    if zone.centre_lng is not None and zone.centre_lat is not None:
        return zone.centre_lng, zone.centre_lat
    try:
        shapes = polygons(zone.boundary) if zone.boundary else []
    except ValidationError:
        return None
    points = [point for shape in shapes for point in shape[0][:-1]]
    if not points:
        return None
    return (
        round(sum(p[0] for p in points) / len(points), 5),
        round(sum(p[1] for p in points) / len(points), 5),
    )


def revenue_map(user: ActingUser) -> dict[str, Any]:
    """The scope's zones coloured by their latest year's 营业收入 (the summary table)."""
    summaries = ZoneYearSummary.objects.restrict(user, "view")
    latest = summaries.aggregate(year=Max("year"))["year"]
    values = dict(summaries.filter(year=latest).values_list("zone_id", "operating_revenue"))
    title = f"开发区分布与营业收入({latest}年)" if latest else "开发区分布"
    return zone_map(user, title=title, metric="营业收入", unit="万元", values=values)
