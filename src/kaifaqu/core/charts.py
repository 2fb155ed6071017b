"""The JSON that ``static/kaifaqu/charts.js`` draws: x-axis categories, one series per line."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

Number = Decimal | float | int | None


def series(name: str, unit: str, values: Iterable[Number]) -> dict[str, Any]:
    """One line; missing values stay null so the chart shows a gap, never a zero."""
    return {"name": name, "unit": unit, "values": [None if v is None else float(v) for v in values]}


def chart(
    chart_id: str, title: str, categories: list[Any], lines: list[dict[str, Any]]
) -> dict[str, Any]:
    return {"id": chart_id, "title": title, "data": {"categories": categories, "series": lines}}
