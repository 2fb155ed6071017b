"""Lists of supervised items as xlsx, in one layout for the list page and the 督办 board."""

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from kaifaqu.spreadsheets.columns import Column, KindSpec
from kaifaqu.supervision.models import SupervisedItem

ITEMS = KindSpec(
    kind="supervised_items",
    sheet="督办事项",
    columns=(
        Column("number", "编号", "text"),
        Column("kind", "类型", "text"),
        Column("title", "事项", "text"),
        Column("region", "所在区划", "text"),
        Column("level", "督办层级", "text"),
        Column("lead_unit", "牵头单位", "text"),
        Column("state", "状态", "text"),
        Column("light", "亮灯", "text"),
        Column("opened", "登记日期", "date"),
        Column("deadline", "办理时限", "date"),
        Column("overdue_days", "逾期工作日", "integer"),
        Column("official", "时限按官方日历", "text"),
    ),
    key=("number",),
)


def item_rows(items: QuerySet[SupervisedItem]) -> Iterator[list[Any]]:
    """One row per item; ``items`` carries ``overdue_days`` (``board.with_overdue_days``)."""
    for item in items.select_related("kind", "region", "lead_unit").iterator(chunk_size=2000):
        yield [
            item.number,
            item.kind.name,
            item.title,
            item.region.name,
            item.get_level_display(),
            item.lead_unit.name if item.lead_unit else "",
            item.get_state_display(),
            item.get_light_display(),
            item.opened,
            item.deadline,
            getattr(item, "overdue_days", None),
            "是" if item.deadline_official else "否(该年节假日未载入)",
        ]
