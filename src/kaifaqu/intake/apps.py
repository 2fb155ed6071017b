from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Import and export of zones, enterprises and yearly statistics (the bureaus' Excel)."""

    name = "kaifaqu.intake"
    verbose_name = "数据导入导出"
