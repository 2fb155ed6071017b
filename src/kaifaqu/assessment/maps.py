"""The score map of a run's ranking: the results' zones drawn by ``svg.zone_map``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from kaifaqu.assessment import svg
from kaifaqu.assessment.models import AssessmentRun, ZoneResult
from kaifaqu.zones.validators import polygons


def zone_map(run: AssessmentRun, results: Iterable[ZoneResult]) -> SafeString:
    """The map of ``results``; links lead only to the profiles the user may open."""
    return mark_safe(svg.zone_map([_map_zone(run, r) for r in results]))


def _map_zone(run: AssessmentRun, result: ZoneResult) -> svg.MapZone:
    zone = result.zone
    try:
        shapes = polygons(zone.boundary) if zone.boundary else []
    except ValidationError:  # stored before the field was validated: fall back to the centre
        shapes = []
    lng, lat = zone.centre_lng, zone.centre_lat
    own = result.own  # type: ignore[attr-defined]  # annotated by ZoneResult.objects.ranking()
    return svg.MapZone(
        code=zone.code,
        name=zone.name,
        total=result.total,
        rank=result.published_rank,
        polygons=shapes,
        centre=(lng, lat) if lng is not None and lat is not None else None,
        href=reverse("assessment:profile", args=[run.pk, zone.pk]) if own else None,
    )
