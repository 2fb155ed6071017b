from django.apps import AppConfig


class MapsConfig(AppConfig):
    """Division outlines (GeoJSON) and the zone maps drawn on them."""

    name = "kaifaqu.maps"
    verbose_name = "地图"
