"""``{% zone_map %}``: a map card on any page, its JSON embedded (no inline script: CSP)."""

from typing import Any

from django import template

from kaifaqu.maps.payload import revenue_map, zone_map

register = template.Library()


@register.inclusion_tag("maps/map_card.html", takes_context=True)
def scope_map(context: template.Context, map_id: str = "zone-map") -> dict[str, Any]:
    """The user's zones on their outlines, coloured by the latest 营业收入."""
    return {"map_id": map_id, "map": revenue_map(context["request"].user)}


@register.inclusion_tag("maps/map_card.html", takes_context=True)
def results_map(
    context: template.Context,
    results: list[Any],
    field: str,
    metric: str,
    unit: str,
    title: str,
    map_id: str = "zone-map",
) -> dict[str, Any]:
    """Rows that name a zone (``row.zone``), coloured by ``row.<field>``: a ranking's scores."""
    values = {row.zone_id: getattr(row, field) for row in results}
    payload = zone_map(
        context["request"].user,
        title=title,
        metric=metric,
        unit=unit,
        values=values,
        zones=[row.zone for row in results],
    )
    return {"map_id": map_id, "map": payload}
