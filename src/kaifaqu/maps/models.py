"""The outline of an administrative division, as the maps draw it."""

from django.db import models

from kaifaqu.catalog.models import Region
from kaifaqu.zones.validators import validate_boundary


class Boundary(models.Model):
    """A division's outline: a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude.

    Geography, not regional data: every user may see the outlines of the divisions around their
    scope (the zones drawn on them are scoped). The demo province's outlines are generated; real
    ones are loaded by an administrator (``kaifaqu load-boundaries FILE.geojson``).
    """

    region = models.OneToOneField(
        Region, verbose_name="行政区划", on_delete=models.CASCADE, related_name="boundary"
    )
    geometry = models.JSONField(
        "边界",
        validators=[validate_boundary],
        help_text="GeoJSON Polygon 或 MultiPolygon,坐标为 [经度, 纬度]",
    )
    source = models.CharField("来源", max_length=200)
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "行政区划边界"
        verbose_name_plural = "行政区划边界"
        ordering = ["region__code"]

    def __str__(self) -> str:
        return f"{self.region.name}边界"
