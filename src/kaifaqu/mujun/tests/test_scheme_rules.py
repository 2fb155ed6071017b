"""Scheme rules beyond the quotas: score thresholds and per-item caps, with exact values."""

import polars as pl
import pytest

from kaifaqu.mujun.evaluation import evaluate
from kaifaqu.mujun.scheme import Scheme, SchemeError, parse_scheme

from .helpers import enterprises, grade_counts, grades, single_scheme

THRESHOLDS = 'method = "thresholds"\nthresholds = [85, 70, 60]'


def totals(frame: pl.DataFrame) -> dict[str, float | None]:
    return dict(zip(frame["uscc"].to_list(), frame["total"].to_list(), strict=True))


def test_thresholds_grade_a_total_exactly_on_a_line_into_the_better_grade():
    # given a threshold scheme (A ≥ 85, B ≥ 70, C ≥ 60, else D) where total = tax on 10 亩,
    # and units exactly on each line and one cent below it
    frame = enterprises([85.0, 84.99, 70.0, 69.99, 60.0, 59.99, 120.0])
    # when evaluated
    result = evaluate(frame, single_scheme(extra=THRESHOLDS), 2024).frame
    # then a total on the line takes the grade, a cent below does not
    assert totals(result) == {
        "E000": 85.0,
        "E001": 84.99,
        "E002": 70.0,
        "E003": 69.99,
        "E004": 60.0,
        "E005": 59.99,
        "E006": 120.0,
    }
    assert grades(result) == {
        "E000": "A",
        "E001": "B",
        "E002": "B",
        "E003": "C",
        "E004": "C",
        "E005": "D",
        "E006": "A",
    }


def test_thresholds_apply_to_the_published_total_after_half_up_rounding():
    # given raw totals 84.995 (published 85.00) and 84.9949 (published 84.99)
    frame = enterprises([84.995, 84.9949])
    result = evaluate(frame, single_scheme(extra=THRESHOLDS), 2024).frame
    # then the line is tested on the rounded figure
    assert totals(result) == {"E000": 85.0, "E001": 84.99}
    assert grades(result) == {"E000": "A", "E001": "B"}


def test_thresholds_ignore_quotas_so_every_unit_may_share_one_grade():
    # given five units all above the A line
    result = evaluate(
        enterprises([90.0, 100.0, 110.0, 120.0, 130.0]), single_scheme(extra=THRESHOLDS), 2024
    ).frame
    # then all five are A (quotas would have given 1 A)
    assert grade_counts(result) == {"A": 5}


def test_thresholds_leave_protected_units_ungraded_and_keep_the_c_minus_band():
    # given a C- band below 65 and a protected unit far above the A line
    scheme = single_scheme(extra=THRESHOLDS + '\nc_minus = { below = 65, label = "C-" }')
    frame = enterprises([64.99, 65.0, 200.0], status_flag=[None, None, "保护期"])
    result = evaluate(frame, scheme, 2024).frame
    # then 64.99 is C-, 65.00 stays C, the protected unit is scored but not graded
    assert grades(result) == {"E000": "C-", "E001": "C", "E002": None}
    assert totals(result)["E002"] == 200.0


def test_thresholds_must_fall_from_high_to_low_and_match_the_grades():
    with pytest.raises(SchemeError) as caught:
        single_scheme(extra='method = "thresholds"\nthresholds = [60, 70, 85]')
    assert caught.value.problems == ["[grading] thresholds 须为从高到低的分数线,如 [85, 70, 60]"]
    with pytest.raises(SchemeError) as caught:
        single_scheme(extra='method = "thresholds"\nthresholds = [85, 70]')
    assert caught.value.problems == ["[grading] 2 个分界需要 3 个等级"]


CAPPED = """
[scheme]
id = "capped"
name = "封顶测试方案"
[[indicator]]
code = "tax_per_mu"
name = "亩均税收"
numerator = "tax_paid"
denominator = "land_area_mu"
unit = "万元/亩"
[[indicator]]
code = "{second}"
name = "第二指标"
numerator = "{numerator}"
denominator = "{denominator}"
unit = "万元"
missing = "pool_average"
[[pool]]
code = "above"
name = "规上"
scale = "above"
weights = {{ tax_per_mu = {tax_weight}, {second} = {second_weight} }}
benchmarks = {{ tax_per_mu = 10, {second} = {second_benchmark} }}
caps = {{ {caps} }}
"""


def capped_scheme(
    caps: str,
    *,
    second: str = "rev_per_mu",
    numerator: str = "operating_revenue",
    denominator: str = "land_area_mu",
    weights: tuple[int, int] = (60, 40),
    second_benchmark: float = 100,
) -> Scheme:
    return parse_scheme(
        CAPPED.format(
            caps=caps,
            second=second,
            numerator=numerator,
            denominator=denominator,
            tax_weight=weights[0],
            second_weight=weights[1],
            second_benchmark=second_benchmark,
        )
    )


def column(frame: pl.DataFrame, name: str) -> dict[str, float | None]:
    return dict(zip(frame["uscc"].to_list(), frame[name].to_list(), strict=True))


def test_an_item_never_scores_more_than_its_cap_times_its_weight():
    # given 亩均税收 (w 60, B 10) capped at 1.5 × w = 90 and 亩均营收 (w 40, B 100) uncapped
    scheme = capped_scheme("tax_per_mu = 1.5")
    frame = enterprises(
        [300.0, 200.0, 150.0, 100.0, 50.0],
        operating_revenue=[1000.0, 1000.0, 1000.0, 3000.0, 500.0],
    )
    # when evaluated
    result = evaluate(frame, scheme, 2024).frame
    # then tax ratios 3, 2, 1.5 all score 90; the uncapped item scores 3 × 40 = 120
    assert column(result, "s:tax_per_mu") == {
        "E000": 90.0,
        "E001": 90.0,
        "E002": 90.0,
        "E003": 60.0,
        "E004": 30.0,
    }
    assert column(result, "s:rev_per_mu") == {
        "E000": 40.0,
        "E001": 40.0,
        "E002": 40.0,
        "E003": 120.0,
        "E004": 20.0,
    }
    # the indicator value itself is not capped
    assert column(result, "v:tax_per_mu")["E000"] == 30.0
    # and the three equal totals are ranked by the raw 亩均税收, so E002 falls to C (c = 1, 3, 5)
    assert column(result, "total") == {
        "E000": 130.0,
        "E001": 130.0,
        "E002": 130.0,
        "E003": 180.0,
        "E004": 50.0,
    }
    assert column(result, "rank") == {"E000": 2, "E001": 3, "E002": 4, "E003": 1, "E004": 5}
    assert grades(result) == {"E000": "B", "E001": "B", "E002": "C", "E003": "A", "E004": "C"}


def test_the_pool_average_of_a_capped_item_averages_the_capped_scores():
    # given 亩均营收 capped at 2 × w and filled with the pool's average item when missing
    scheme = capped_scheme("rev_per_mu = 2")
    frame = enterprises(
        [100.0, 100.0, 100.0, 100.0],
        operating_revenue=[500.0, 1000.0, 3000.0, None],
    )
    result = evaluate(frame, scheme, 2024)
    # then the ratios 0.5, 1, 3 → 2 average to 7/6, so the missing unit scores 40 × 7/6
    items = column(result.frame, "s:rev_per_mu")
    assert items["E002"] == 80.0
    assert items["E003"] == pytest.approx(40 * 7 / 6, rel=1e-12)
    assert result.cutoffs["above"]["fills"] == {"rev_per_mu": pytest.approx(100 * 7 / 6)}


def test_reaching_the_next_grade_counts_tax_only_up_to_the_cap():
    # given two items fed by tax on 10 亩 and 100 万kWh: 亩均税收 (w 50, B 10, cap 1.2) and
    # 单位电耗税收 (w 50, B 1, uncapped), so total = 50·min(t/100, 1.2) + t/2
    scheme = capped_scheme(
        "tax_per_mu = 1.2",
        second="tax_per_kwh",
        numerator="tax_paid",
        denominator="electricity_10k_kwh",
        weights=(50, 50),
        second_benchmark=1,
    )
    taxes = [float(100 + 10 * i) for i in range(30)]
    result = evaluate(enterprises(taxes, electricity_10k_kwh=[100.0] * 30), scheme, 2024).frame
    worst = result.filter(pl.col("uscc") == "E000").row(0, named=True)
    # then E000 (100.00, D) needs the 18th total (t = 220: 60 + 110) plus a cent: 70.01 points;
    # the capped item gives 10 points for the first 20 万元, then only 0.5 per 万元 remains
    assert (worst["total"], worst["grade"], worst["target_grade"]) == (100.0, "D", "B")
    assert worst["needed_total"] == 170.01
    assert worst["more_tax"] == pytest.approx(120.02, abs=1e-9)
    # and paying exactly that reaches B; 1% less does not
    for extra, wanted in ((worst["more_tax"], "B"), (worst["more_tax"] * 0.99, "C")):
        again = evaluate(
            enterprises([100.0 + extra, *taxes[1:]], electricity_10k_kwh=[100.0] * 30), scheme, 2024
        ).frame
        assert grades(again)["E000"] == wanted


def test_a_cap_no_extra_tax_can_beat_leaves_the_tax_path_empty():
    # given the first scheme: E004's tax item can rise only from 30 to 90 points
    result = evaluate(
        enterprises(
            [300.0, 200.0, 150.0, 100.0, 50.0],
            operating_revenue=[1000.0, 1000.0, 1000.0, 3000.0, 500.0],
        ),
        capped_scheme("tax_per_mu = 1.5"),
        2024,
    ).frame
    weakest = result.filter(pl.col("uscc") == "E004").row(0, named=True)
    # then B needs 130.01 (80.01 more points) and tax alone cannot give them
    assert (weakest["target_grade"], weakest["needed_total"], weakest["more_tax"]) == (
        "B",
        130.01,
        None,
    )


def test_caps_must_be_positive_and_name_a_weighted_indicator():
    with pytest.raises(SchemeError) as caught:
        capped_scheme("tax_per_mu = 0, va_per_mu = 2")
    assert caught.value.problems == [
        "评价池「规上」 指标「tax_per_mu」的封顶须为正数(得分不超过权重的倍数)",
        "评价池「规上」 的封顶指向本池未计分的指标「va_per_mu」",
    ]


def test_thresholds_give_the_improvement_path_to_the_line_itself():
    # given total = tax on 10 亩 and B from 70: a unit on 64 needs exactly 6 万元 more
    result = evaluate(enterprises([64.0, 90.0]), single_scheme(extra=THRESHOLDS), 2024).frame
    row = result.filter(pl.col("uscc") == "E000").row(0, named=True)
    assert (row["grade"], row["target_grade"], row["needed_total"]) == ("C", "B", 70.0)
    assert row["more_tax"] == pytest.approx(6.0, abs=1e-9)
