from typing import Any

import django_tables2 as tables

from kaifaqu.servicerequests.choices import Stage
from kaifaqu.servicerequests.models import ServiceRequest


class ServiceRequestTable(tables.Table):
    number = tables.Column(
        verbose_name="编号", accessor="item__number", linkify=True, order_by="item__number"
    )
    filed = tables.DateTimeColumn(verbose_name="登记时间", format="Y-m-d H:i", orderable=True)
    enterprise = tables.Column(verbose_name="企业", default="—")
    caller_name = tables.Column(verbose_name="来电人", default="—")
    category = tables.Column(verbose_name="类别")
    complexity = tables.Column(verbose_name="复杂程度")
    channel = tables.Column(verbose_name="渠道")
    lead_unit = tables.Column(verbose_name="牵头单位", accessor="item__lead_unit", default="—")
    stage = tables.Column(verbose_name="状态", accessor="current_stage")
    deadline = tables.DateColumn(
        verbose_name="办理时限", accessor="item__deadline", format="Y-m-d", default="—",
        orderable=True, order_by="item__deadline",
    )  # fmt: skip
    light = tables.Column(verbose_name="亮灯", accessor="item__light")
    rating = tables.Column(verbose_name="评价", default="—")
    description = tables.Column(verbose_name="诉求内容", visible=False)

    class Meta:
        model = ServiceRequest
        fields = (
            "number", "filed", "enterprise", "caller_name", "category", "complexity", "channel",
            "lead_unit", "stage", "deadline", "light", "rating", "description",
        )  # fmt: skip
        orderable = False

    def render_stage(self, value: str) -> str:
        return str(Stage(value).label)

    def value_stage(self, value: str) -> str:
        return str(Stage(value).label)

    def render_light(self, record: Any) -> str:
        return str(record.item.get_light_display())

    def value_light(self, record: Any) -> str:
        return str(record.item.get_light_display())
