from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The synthetic demo province (``kaifaqu demo-data``)."""

    name = "kaifaqu.demo"
    verbose_name = "演示数据"
