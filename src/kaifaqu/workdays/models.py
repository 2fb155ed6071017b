"""The official calendar as data, and the derived day table that SQL counts working days on.

``CalendarYear`` says which years' official calendars are loaded; ``SpecialDay`` holds the dates
that differ from the plain Monday-to-Friday week (holidays on weekdays, 调休 working weekends).
Both are kept by the system administrator. ``Day`` is derived from them (``workdays.days``): one
row per date with a running working-day ordinal, so a deadline or the working days overdue of a
whole table compute in one query on SQLite and PostgreSQL alike.
"""

from django.db import models

from kaifaqu.workdays.choices import DayKind


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("来源", max_length=100, help_text="如 国务院办公厅通知文号")

    class Meta:
        verbose_name = "已载入的年度日历"
        verbose_name_plural = "已载入的年度日历"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年"


class SpecialDay(models.Model):
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类别", max_length=8, choices=DayKind.choices)
    name = models.CharField("节日", max_length=40, blank=True)

    class Meta:
        verbose_name = "节假日与调休日"
        verbose_name_plural = "节假日与调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class Day(models.Model):
    """One date of the derived calendar table (rebuilt whenever the calendar changes)."""

    date = models.DateField("日期", primary_key=True)
    working = models.BooleanField("工作日")
    ordinal = models.PositiveIntegerField(
        "工作日序号", db_index=True, help_text="表首日起至当日(含)的工作日数"
    )
    official = models.BooleanField("官方日历", help_text="否:该年日历未载入,仅按周末计算")

    class Meta:
        verbose_name = "日历表"
        verbose_name_plural = "日历表"
        ordering = ["date"]

    def __str__(self) -> str:
        return str(self.date)
