from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """Government units (单位) that work is assigned to, and their members."""

    name = "kaifaqu.units"
    verbose_name = "单位"
