from django.apps import AppConfig


class ZonesConfig(AppConfig):
    """Development zones (开发区) and their yearly indicators."""

    name = "kaifaqu.zones"
    verbose_name = "开发区"
