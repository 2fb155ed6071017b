from django.apps import AppConfig


class CockpitConfig(AppConfig):
    """The 驾驶舱 (home page): the user's scope at a glance, read from summary tables."""

    name = "kaifaqu.cockpit"
    verbose_name = "驾驶舱"
