"""The JSON that ``static/kaifaqu/charts.js`` draws, and every decision about how it is drawn.

A page hands the builder categories and series; the builder decides from the shape of the data how
the chart reads, so no page patches its own chart: many or long category names make horizontal
bars, more categories than fit make a scroll (ECharts ``dataZoom``), ``others`` keeps the largest
and sums the rest as "其他", counts and money start at zero, money in 万元 turns into 亿元 when
large, and a chart with several series has a legend. The thresholds are settings
(``KAIFAQU_CHARTS``).

>>> zones = [f"区{i}" for i in range(36)]
>>> c = chart("c", "各开发区企业数", zones, [series("企业数", "家", range(36))], mark="bar")
>>> c["data"]["layout"]["orientation"], c["data"]["layout"]["zoom"], c["data"]["axes"][0]["min"]
('horizontal', 15, 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings

from kaifaqu.core.numbers import money_unit

Number = Decimal | float | int | None
Mark = Literal["line", "bar"]

OTHERS = "其他"
MISSING_NOTE = "空白处为缺失数据"
# Units by what they measure: counts and money start their axis at zero; ratios and other values
# are drawn on an axis fitted to the data.
COUNT_UNITS = frozenset({"家", "个", "人", "项", "件", "次", "户", "条"})
MONEY_UNITS = frozenset({"元", "万元", "亿元", "万美元", "亿美元"})
RATIO_UNITS = frozenset({"%", "‰", "倍"})
STORED_MONEY_UNIT = "万元"  # the vocabulary's unit of every amount


def kind_of(unit: str) -> str:
    """What a unit measures: ``count``, ``money``, ``ratio`` or ``value``."""
    if unit in COUNT_UNITS:
        return "count"
    if unit in MONEY_UNITS:
        return "money"
    if unit in RATIO_UNITS:
        return "ratio"
    return "value"


def series(
    name: str, unit: str, values: Iterable[Number], kind: str | None = None
) -> dict[str, Any]:
    """One line or bar series; missing values stay null so the chart shows a gap, never a zero."""
    return {
        "name": name,
        "unit": unit,
        "kind": kind or kind_of(unit),
        "values": [None if v is None else float(v) for v in values],
    }


def chart(
    chart_id: str,
    title: str,
    categories: list[Any],
    lines: list[dict[str, Any]],
    *,
    mark: Mark = "line",
    stack: bool = False,
    others: bool = False,
    ordinal: bool = False,
) -> dict[str, Any]:
    """A chart's id, title and data, with the layout the data's shape calls for. With ``others``
    only the largest categories are named and the rest summed as 其他 (for counts and money);
    ``ordinal`` categories (years, score bands) keep their left-to-right order, never lying down."""
    options = _options()
    lines = readable_money(lines)
    if others and len(categories) > options["top"] + 1:
        categories, lines = _top(categories, lines, options["top"])
    orientation = "vertical" if ordinal else _orientation(categories, mark)
    window = options["window"] if orientation == "horizontal" else options["columns"]
    zoom = window if len(categories) > window else None
    data = {
        "title": title,
        "categories": [str(c) for c in categories],
        "series": lines,
        "axes": _axes(lines, mark),
        "layout": {
            "mark": mark,
            "orientation": orientation,
            "zoom": zoom,
            "stack": stack and mark == "bar",
            "legend": len(lines) > 1,
        },
        "note": MISSING_NOTE if any(v is None for s in lines for v in s["values"]) else "",
    }
    return {"id": chart_id, "title": title, "data": data}


def _options() -> dict[str, int]:
    options: dict[str, int] = settings.KAIFAQU_CHARTS
    return options


def _orientation(categories: list[Any], mark: Mark) -> str:
    """Bars lie down when their names would not fit under them: too many, or too long."""
    if mark != "bar" or not categories:
        return "vertical"
    options = _options()
    longest = max(len(str(c)) for c in categories)
    crowded = len(categories) > options["vertical_max"]
    return "horizontal" if crowded or longest > options["label_chars"] else "vertical"


def _axes(lines: list[dict[str, Any]], mark: Mark) -> list[dict[str, Any]]:
    """One value axis per unit, named by it; counts, money and every bar start at zero."""
    axes: list[dict[str, Any]] = []
    for line in lines:
        if any(axis["unit"] == line["unit"] for axis in axes):
            continue
        from_zero = line["kind"] in ("count", "money") or mark == "bar"
        axes.append(
            {
                "unit": line["unit"],
                "kind": line["kind"],
                "min": 0 if from_zero else None,
                "integer": line["kind"] == "count",
            }
        )
    return axes


def readable_money(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The lines in 万元 on one axis, in 亿元 when their largest value reaches one 亿元 (the
    pages' rule, ``core.numbers.money_unit``), so the axis reads 795 亿元, not 7,950,163 万元."""
    amounts = [v for line in lines if line["unit"] == STORED_MONEY_UNIT for v in line["values"]]
    unit, scale = money_unit(amounts)
    if unit == STORED_MONEY_UNIT:
        return lines
    return [
        {
            **line,
            "unit": unit,
            "values": [None if v is None else round(v / float(scale), 4) for v in line["values"]],
        }
        if line["unit"] == STORED_MONEY_UNIT
        else line
        for line in lines
    ]


def _top(
    categories: list[Any], lines: list[dict[str, Any]], limit: int
) -> tuple[list[Any], list[dict[str, Any]]]:
    """The ``limit`` largest categories by their total over the series, the rest summed as 其他.

    Only counts and money add up; a chart of ratios keeps every category (and scrolls instead).
    """
    if any(line["kind"] not in ("count", "money") for line in lines):
        return categories, lines

    def total(index: int) -> float:
        return sum(line["values"][index] or 0 for line in lines)

    order = sorted(range(len(categories)), key=lambda i: (-total(i), i))
    kept, rest = order[:limit], order[limit:]
    trimmed = [
        {
            **line,
            "values": [line["values"][i] for i in kept]
            + [sum(line["values"][i] or 0 for i in rest)],
        }
        for line in lines
    ]
    return [categories[i] for i in kept] + [OTHERS], trimmed
