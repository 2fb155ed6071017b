"""Hand-made schemes and enterprises for the 亩均 tests."""

from __future__ import annotations

from typing import Any

import polars as pl

from kaifaqu.mujun.scheme import Scheme, parse_scheme

SINGLE = """
[scheme]
id = "single"
name = "单指标测试方案"
land_threshold_mu = 5
[[indicator]]
code = "tax_per_mu"
name = "亩均税收"
numerator = "tax_paid"
denominator = "land_area_mu"
unit = "万元/亩"
[[pool]]
code = "above"
name = "规上"
scale = "above"
weights = {{ tax_per_mu = 100 }}
benchmarks = {{ tax_per_mu = {benchmark} }}
[grading]
shares = {shares}
{extra}
"""


def single_scheme(benchmark: str = "10.0", shares: str = "[20, 60, 95]", extra: str = "") -> Scheme:
    return parse_scheme(SINGLE.format(benchmark=benchmark, shares=shares, extra=extra))


def enterprises(taxes: list[float], **columns: list[Any]) -> pl.DataFrame:
    """Above-scale enterprises on 10 亩 each paying ``taxes`` (万元)."""
    n = len(taxes)
    data: dict[str, list[Any]] = {
        "uscc": [f"E{i:03d}" for i in range(n)],
        "name": [f"企业{i}" for i in range(n)],
        "above_scale": [True] * n,
        "land_area_mu": [10.0] * n,
        "tax_paid": taxes,
    }
    data.update(columns)
    return pl.DataFrame(data)


def grades(frame: pl.DataFrame) -> dict[str, str | None]:
    return dict(zip(frame["uscc"].to_list(), frame["grade"].to_list(), strict=True))


def grade_counts(frame: pl.DataFrame) -> dict[str, int]:
    counts: dict[str, int] = {}
    for grade in frame["grade"].to_list():
        if grade:
            counts[grade] = counts.get(grade, 0) + 1
    return counts
