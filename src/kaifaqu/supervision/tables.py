import django_tables2 as tables

from kaifaqu.supervision.models import SupervisedItem

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class SupervisedItemTable(tables.Table):
    number = tables.Column(verbose_name="编号", linkify=True)
    title = tables.Column(verbose_name="事项")
    kind = tables.Column(verbose_name="类型")
    level = tables.Column(verbose_name="层级")
    lead_unit = tables.Column(verbose_name="牵头单位", default="—")
    state = tables.Column(verbose_name="状态")
    light = tables.Column(verbose_name="亮灯")
    deadline = tables.DateColumn(verbose_name="办理时限", format="Y-m-d", default="—")
    overdue_days = tables.Column(verbose_name="逾期(工作日)", attrs=NUM, default="—")

    class Meta:
        model = SupervisedItem
        fields = (
            "number", "title", "kind", "level", "lead_unit", "state", "light", "deadline",
            "overdue_days",
        )  # fmt: skip
        orderable = False
