"""The JSON that ``static/kaifaqu/charts.js`` draws: x-axis categories, one series per line."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from kaifaqu.core.numbers import money_unit

Number = Decimal | float | int | None
STORED_MONEY_UNIT = "万元"  # the vocabulary's unit of every amount


def series(name: str, unit: str, values: Iterable[Number]) -> dict[str, Any]:
    """One line; missing values stay null so the chart shows a gap, never a zero."""
    return {"name": name, "unit": unit, "values": [None if v is None else float(v) for v in values]}


def chart(
    chart_id: str, title: str, categories: list[Any], lines: list[dict[str, Any]]
) -> dict[str, Any]:
    data = {"categories": categories, "series": in_money_unit(lines)}
    return {"id": chart_id, "title": title, "data": data}


def in_money_unit(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines in 万元 on one axis, in 亿元 when their largest value reaches one 亿元, so the
    axis reads 795 亿元 rather than 7,950,163 万元."""
    amounts = [v for line in lines if line["unit"] == STORED_MONEY_UNIT for v in line["values"]]
    unit, scale = money_unit(amounts)
    if unit == STORED_MONEY_UNIT:
        return lines
    return [
        {
            **line,
            "unit": unit,
            "values": [None if v is None else v / float(scale) for v in line["values"]],
        }
        if line["unit"] == STORED_MONEY_UNIT
        else line
        for line in lines
    ]
