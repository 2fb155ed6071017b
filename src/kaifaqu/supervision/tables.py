"""The table of supervised items: the list page, the 督办 board, and both exports (one layout:
the columns below, in order, those with ``visible=False`` only in the file)."""

from typing import Any

import django_tables2 as tables

from kaifaqu.supervision.models import SupervisedItem

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class SupervisedItemTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=True)
    title = tables.Column(verbose_name="事项")
    kind = tables.Column(verbose_name="类型")
    region = tables.Column(verbose_name="所在区划", visible=False)
    level = tables.Column(verbose_name="层级")
    lead_unit = tables.Column(verbose_name="牵头单位", default="—")
    state = tables.Column(verbose_name="状态")
    light = tables.Column(verbose_name="亮灯")
    opened = tables.DateColumn(verbose_name="登记日期", format="Y-m-d", visible=False)
    deadline = tables.DateColumn(verbose_name="办理时限", format="Y-m-d", default="—")
    overdue_days = tables.Column(verbose_name="逾期(工作日)", attrs=NUM, default="—")
    deadline_official = tables.Column(verbose_name="时限按官方日历", visible=False)

    class Meta:
        model = SupervisedItem
        fields = (
            "number", "title", "kind", "region", "level", "lead_unit", "state", "light",
            "opened", "deadline", "overdue_days", "deadline_official",
        )  # fmt: skip
        orderable = False

    def value_lead_unit(self, record: SupervisedItem) -> str:
        return record.lead_unit.name if record.lead_unit else ""

    def value_opened(self, record: SupervisedItem) -> Any:
        return record.opened

    def value_deadline(self, record: SupervisedItem) -> Any:
        return record.deadline

    def value_overdue_days(self, record: SupervisedItem) -> int | None:
        return getattr(record, "overdue_days", None)

    def value_deadline_official(self, record: SupervisedItem) -> str:
        return "是" if record.deadline_official else "否(该年节假日未载入)"
