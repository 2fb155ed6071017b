"""How numbers read: one filter set for counts, money, ratios and percentages, by cases."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from kaifaqu.core.charts import chart, series

MISSING = '<span class="missing">缺失</span>'


def shown(expression: str, value: object) -> str:
    return Template("{% load kaifaqu %}{{ value|" + expression + " }}").render(
        Context({"value": value})
    )


@pytest.mark.parametrize(
    ("expression", "value", "text"),
    [
        ("count", 204, "204"),
        ("count", Decimal("204.00"), "204"),
        ("count", 204.0, "204"),
        ("count", 19205, "19,205"),
        ("count", 20000, "20,000"),
        ("count", Decimal("1234567"), "1,234,567"),
        ("count", 0, "0"),
        ("count", "19205", "19,205"),
        ("count", None, MISSING),
        ("count", "", MISSING),
        ("money", Decimal("7950162.92"), "795.02 亿元"),
        ("money", Decimal("10000"), "1.00 亿元"),
        ("money", Decimal("9999.99"), "9,999.99 万元"),
        ("money", Decimal("1234.5"), "1,234.50 万元"),
        ("money", Decimal("0.004"), "0.00 万元"),
        ("money", Decimal("-25000"), "-2.50 亿元"),
        ("money", 88.25, "88.25 万元"),
        ("money:1", Decimal("15007.5"), "1.5 亿元"),
        ("money", None, MISSING),
        ("money_number", Decimal("7950162.92"), "795.02"),
        ("money_unit", Decimal("7950162.92"), "亿元"),
        ("money_unit", Decimal("441.25"), "万元"),
        ("money_unit", None, ""),
        ("ratio", 0.87654, "0.88"),
        ("ratio", Decimal("1234.5"), "1,234.50"),
        ("ratio:4", 0.5, "0.5000"),
        ("ratio", Decimal("2.345"), "2.35"),
        ("ratio", -0.001, "0.00"),
        ("ratio", float("nan"), MISSING),
        ("percent", 0.1234, "12.3%"),
        ("percent", Decimal("0.5"), "50.0%"),
        ("percent:0", 0.875, "88%"),
        ("percent", 1, "100.0%"),
        ("percent", None, MISSING),
        ("amount", 5, "5"),
        ("amount", Decimal("1000.5"), "1,000.50"),
        ("amount:4", 0.12345, "0.1235"),
        ("amount", None, MISSING),
    ],
)
def test_a_number_reads_as_its_kind(expression, value, text):
    assert shown(expression, value) == text


def test_a_money_chart_is_drawn_in_yi_yuan_once_its_largest_value_reaches_one_yi():
    lines = [
        series("营业收入", "万元", [Decimal("15007.5"), None]),
        series("实缴税收", "万元", [Decimal("441.25"), Decimal("500")]),
        series("企业数", "家", [5, 6]),
    ]

    drawn = chart("c", "企业经济总量", [2024, 2025], lines)["data"]["series"]

    assert drawn == [
        {"name": "营业收入", "unit": "亿元", "kind": "money", "values": [1.5008, None]},
        {"name": "实缴税收", "unit": "亿元", "kind": "money", "values": [0.0441, 0.05]},
        {"name": "企业数", "unit": "家", "kind": "count", "values": [5.0, 6.0]},
    ]


def test_a_small_money_chart_stays_in_wan_yuan():
    drawn = chart("c", "t", [2025], [series("实缴税收", "万元", [441.25])])["data"]["series"]
    assert drawn == [{"name": "实缴税收", "unit": "万元", "kind": "money", "values": [441.25]}]
