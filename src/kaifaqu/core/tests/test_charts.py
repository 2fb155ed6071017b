"""The chart builder's decisions, on a table of data shapes: how a chart reads is decided once,
from its data, not patched page by page."""

from typing import Any

import pytest
from django.test import override_settings

from kaifaqu.core.charts import chart, kind_of, series

ZONES_36 = [f"第{i:02d}开发区" for i in range(36)]


def layout(c: dict[str, Any]) -> tuple[str, int | None, bool]:
    data = c["data"]["layout"]
    return data["orientation"], data["zoom"], data["legend"]


@pytest.mark.parametrize(
    ("categories", "mark", "lines", "expected"),
    [
        # 36 zones on one axis: bars lie down and scroll 15 at a time
        (ZONES_36, "bar", 1, ("horizontal", 15, False)),
        # a few short names: upright bars, no scroll
        (["A", "B", "C"], "bar", 1, ("vertical", None, False)),
        # few, but long names (an industry's): bars lie down
        (["计算机、通信和其他电子设备制造业", "纺织业"], "bar", 1, ("horizontal", None, False)),
        # nine names are too many to stand side by side
        ([str(i) for i in range(9)], "bar", 1, ("horizontal", None, False)),
        # a trend over years stays a line across, however many; a scroll past the window
        ([2021, 2022, 2023, 2024, 2025], "line", 2, ("vertical", None, True)),
        (list(range(2000, 2020)), "line", 1, ("vertical", None, False)),
        (list(range(1980, 2021)), "line", 1, ("vertical", 30, False)),
    ],
)
def test_the_layout_follows_the_shape_of_the_data(categories, mark, lines, expected):
    values = [1] * len(categories)
    drawn = chart(
        "c", "标题", categories, [series(f"系列{i}", "家", values) for i in range(lines)], mark=mark
    )
    assert layout(drawn) == expected
    assert drawn["data"]["title"] == "标题"
    assert drawn["data"]["categories"] == [str(c) for c in categories]


@pytest.mark.parametrize(
    ("unit", "mark", "kind", "axis_min"),
    [
        ("家", "line", "count", 0),
        ("个", "bar", "count", 0),
        ("万元", "line", "money", 0),
        ("%", "line", "ratio", None),  # a ratio's axis fits its data
        ("%", "bar", "ratio", 0),  # but a bar's length always measures from zero
        ("吨标准煤/万元", "line", "value", None),
    ],
)
def test_counts_money_and_bars_start_at_zero(unit, mark, kind, axis_min):
    drawn = chart("c", "标题", [2024, 2025], [series("甲", unit, [0.4, 1.6])], mark=mark)
    assert kind_of(unit) == kind
    assert drawn["data"]["axes"] == [
        {"unit": unit, "kind": kind, "min": axis_min, "integer": kind == "count"}
    ]


def test_one_axis_per_unit_named_by_it():
    drawn = chart(
        "c",
        "营业收入与企业数",
        [2024, 2025],
        [
            series("营业收入", "万元", [1, 2]),
            series("实缴税收", "万元", [1, 2]),
            series("企业", "家", [3, 4]),
        ],
    )
    assert [axis["unit"] for axis in drawn["data"]["axes"]] == ["万元", "家"]
    assert drawn["data"]["layout"]["legend"] is True


def test_large_money_reads_in_yi_yuan_for_every_series_of_the_unit():
    drawn = chart(
        "c",
        "营业收入",
        [2024, 2025],
        [
            series("营业收入", "万元", [7_950_162.92, None]),
            series("实缴税收", "万元", [3000, 4000]),
        ],
    )
    assert [(s["unit"], s["values"]) for s in drawn["data"]["series"]] == [
        ("亿元", [795.0163, None]),
        ("亿元", [0.3, 0.4]),
    ]
    assert drawn["data"]["note"] == "空白处为缺失数据"
    small = chart("c", "营业收入", [2025], [series("营业收入", "万元", [9999])])
    assert small["data"]["series"][0]["unit"] == "万元"


def test_others_keeps_the_largest_and_sums_the_rest():
    names = [f"行业{i:02d}" for i in range(31)]
    a = [float(i) for i in range(31)]  # 行业30 is the largest
    b = [1.0] * 31
    drawn = chart(
        "c",
        "各行业企业数",
        names,
        [series("A", "家", a), series("B", "家", b)],
        mark="bar",
        others=True,
    )
    data = drawn["data"]
    assert data["categories"] == [f"行业{i:02d}" for i in range(30, 18, -1)] + ["其他"]
    assert data["series"][0]["values"][-1] == sum(range(19))
    assert data["series"][1]["values"][-1] == 19.0
    assert sum(data["series"][0]["values"]) == sum(a)


def test_others_never_sums_ratios():
    names = [f"行业{i:02d}" for i in range(31)]
    drawn = chart(
        "c", "各行业亩均税收增速", names, [series("增速", "%", [1] * 31)], mark="bar", others=True
    )
    assert len(drawn["data"]["categories"]) == 31
    assert drawn["data"]["layout"]["zoom"] == 15


def test_ordinal_categories_stay_upright_however_many():
    bands = [f"{b}–" for b in range(0, 200, 10)]
    drawn = chart("c", "总分分布(家)", bands, [series("企业数", "家", [1] * 20)], mark="bar")
    assert layout(drawn) == ("horizontal", 15, False)
    drawn = chart(
        "c", "总分分布(家)", bands, [series("企业数", "家", [1] * 20)], mark="bar", ordinal=True
    )
    assert layout(drawn) == ("vertical", None, False)


SMALL = {"top": 5, "vertical_max": 3, "label_chars": 6, "window": 4, "columns": 6}


@override_settings(KAIFAQU_CHARTS=SMALL)
def test_the_thresholds_are_settings():
    drawn = chart(
        "c", "标题", list("ABCDEFGH"), [series("企业", "家", range(8))], mark="bar", others=True
    )
    assert drawn["data"]["categories"] == ["H", "G", "F", "E", "D", "其他"]
    assert layout(drawn) == ("horizontal", 4, False)
