from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    """China's working-day calendar (法定节假日, 调休 weekends) and deadline arithmetic."""

    name = "kaifaqu.workdays"
    verbose_name = "工作日历"
