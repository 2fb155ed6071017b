"""The evaluation without Django: 黄岩 to the cent, quotas, statuses, vetoes, missing data."""

import csv
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import polars as pl
import pytest

from kaifaqu.mujun.evaluation import EvaluationError, evaluate
from kaifaqu.mujun.scheme import SchemeError, list_presets, load_preset, parse_scheme, preset_text

from .helpers import enterprises, grade_counts, grades, single_scheme

ENGINE_FIXTURES = Path(__file__).parents[2] / "scoring" / "tests" / "fixtures"
WEIGHTS = {"tax_paid": 30, "value_added": 20}


def huangyan_frame() -> pl.DataFrame:
    with (ENGINE_FIXTURES / "huangyan_units.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    column = {
        "land_area_mu": "land",
        "energy_tce": "energy",
        "emission_t": "emission",
        "avg_employees": "staff",
        "operating_revenue": "revenue",
        "tax_paid": "tax_per_mu",
        "value_added": "va_per_mu",
        "rd_expenditure": "rd_intensity",
    }
    data = {key: [float(r[src]) for r in rows] for key, src in column.items()}
    return pl.DataFrame(
        {
            "uscc": [r["uCode"] for r in rows],
            "name": [r["uName"] for r in rows],
            "above_scale": [True] * len(rows),
            **data,
        }
    )


def exact_total(row: dict[str, float]) -> float:
    """Σ w × (x / d) / B in rational arithmetic, then half-up to the cent (METHODS §1.3)."""
    parts = [
        (30, "tax_paid", "land_area_mu", "24.097"),
        (20, "value_added", "land_area_mu", "136.16"),
        (20, "value_added", "energy_tce", "2.694"),
        (10, "value_added", "emission_t", "4929.81"),
        (10, "value_added", "avg_employees", "18.14"),
        (10, "rd_expenditure", "operating_revenue", "0.0302"),
    ]
    total = sum(
        w * Fraction(repr(row[n])) / Fraction(repr(row[d])) / Fraction(b) for w, n, d, b in parts
    )
    cents = Decimal(total.numerator) / Decimal(total.denominator)
    return float(cents.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_presets_are_listed_and_valid():
    # then every shipped preset parses, and the three the issue names are there
    ids = [preset_id for preset_id, _ in list_presets()]
    assert ids == ["anhui_5", "huaian_2024", "huangyan_2022"]
    for preset_id in ids:
        assert load_preset(preset_id).pools


def test_huangyan_reproduces_the_published_formula_to_the_cent():
    # given the hand-made 规上 enterprises and the 2022 weights and benchmarks
    frame = huangyan_frame()
    # when evaluated with the 黄岩 preset
    result = evaluate(frame, load_preset("huangyan_2022"), 2022).frame
    # then every total equals the exact computation, cent for cent
    totals = dict(zip(result["uscc"].to_list(), result["total"].to_list(), strict=True))
    assert totals == {row["uscc"]: exact_total(row) for row in frame.iter_rows(named=True)}
    assert totals == {
        "E01": 150.66,
        "E02": 58.85,
        "E03": 190.73,
        "E04": 122.76,
        "E05": 39.66,
        "E06": 217.67,
    }
    assert grades(result) == {
        "E01": "B",
        "E02": "C",
        "E03": "B",
        "E04": "B",
        "E05": "C",
        "E06": "A",
    }


def test_huangyan_below_scale_pool_uses_its_two_published_benchmarks():
    # given a 规下 enterprise on 10 亩 paying 11.5932 万元/亩 and 0.2352 万元 per 万kWh
    frame = enterprises([115.932], above_scale=[False], electricity_10k_kwh=[492.9])
    result = evaluate(frame, load_preset("huangyan_2022"), 2022).frame
    # then 50 + 50 × (115.932/492.9)/0.2352
    expected = round(50 + 50 * (115.932 / 492.9) / 0.2352, 2)
    assert result["total"].to_list() == [expected]
    assert result["pool"].to_list() == ["below"]


@pytest.mark.parametrize(
    ("n", "shares", "expected"),
    [
        (37, "[20, 60, 95]", {"A": 7, "B": 15, "C": 13, "D": 2}),
        (10, "[20, 60, 95]", {"A": 2, "B": 4, "C": 4}),
        (30, "[20, 60, 95]", {"A": 6, "B": 12, "C": 11, "D": 1}),
        (45, "[25, 70, 95]", {"A": 11, "B": 21, "C": 11, "D": 2}),
    ],
)
def test_quotas_follow_the_worked_examples(n, shares, expected):
    # given n enterprises with distinct totals
    frame = enterprises([float(100 + i) for i in range(n)])
    # when graded by the quotas
    result = evaluate(frame, single_scheme(shares=shares), 2024).frame
    # then the counts are METHODS §1.4's
    assert grade_counts(result) == expected


def test_ties_straddling_a_boundary_share_the_better_grade():
    # given 10 units where the 2nd and 3rd tie on total and on 亩均税收 (A holds c = 2)
    frame = enterprises([500.0, 400.0, 400.0, 300.0, 290.0, 280.0, 270.0, 260.0, 250.0, 240.0])
    result = evaluate(frame, single_scheme(), 2024).frame
    # then both take A, so A exceeds its count only through the tie
    assert grades(result)["E001"] == grades(result)["E002"] == "A"
    assert grade_counts(result)["A"] == 3


def test_statuses_are_left_out_of_counts_and_benchmarks_but_scored():
    # given a pool-mean benchmark and a protected enterprise with an enormous tax
    scheme = single_scheme(benchmark='{ method = "mean" }')
    base = enterprises([100.0, 200.0, 300.0, 400.0, 500.0])
    protected = enterprises([100000.0], status_flag=["保护期"]).with_columns(
        pl.lit("P001").alias("uscc")
    )
    frame = pl.concat([base.with_columns(pl.lit(None, pl.String).alias("status_flag")), protected])
    # when evaluated
    evaluation = evaluate(frame, scheme, 2024)
    result = evaluation.frame
    # then the benchmark is the graded units' mean (30 万元/亩), the protected unit is scored,
    # not ranked, not graded, and the five graded units keep quotas of n = 5 (c = 1, 3, 5)
    assert evaluation.benchmarks["above"]["tax_per_mu"] == pytest.approx(30.0)
    row = result.filter(pl.col("uscc") == "P001").row(0, named=True)
    assert (row["status"], row["grade"], row["rank"]) == ("protected", None, None)
    assert row["total"] == round(100 * 10000 / 30, 2)
    assert grade_counts(result) == {"A": 1, "B": 2, "C": 2}


def test_exempt_industries_and_out_of_scope_units_are_listed_with_the_reason():
    # given a power utility (44), a retailer (52) and a 规下 unit on 3 亩 (threshold 5)
    frame = pl.concat(
        [
            enterprises([100.0, 100.0], industry_code=["4411", "5211"]),
            enterprises(
                [30.0], above_scale=[False], industry_code=["1711"], land_area_mu=[3.0]
            ).with_columns(pl.lit("S001").alias("uscc")),
        ]
    )
    result = evaluate(frame, load_preset("huangyan_2022"), 2022).frame
    status = dict(zip(result["uscc"], result["status"], strict=True))
    assert status == {"E000": "exempt", "E001": "out_of_scope", "S001": "out_of_scope"}
    reasons = result["reason"].to_list()
    assert reasons[1] == "行业不在评价范围"
    assert reasons[2] == "规下企业用地不足5亩"


def test_vetoes_force_d_without_giving_the_place_to_another():
    # given 10 units, the best of which had a major accident this year
    frame = enterprises([float(100 + 10 * i) for i in range(10)], major_accident=[0.0] * 9 + [1.0])
    scheme = parse_scheme(preset_text("huangyan_2022").replace('"huangyan_2022"', '"veto"'))
    single = single_scheme(
        extra='[[rule]]\nname = "重大事故"\naction = "force_grade"\n'
        'column = "major_accident"\ngrade = "D"'
    )
    result = evaluate(frame, single, 2024).frame
    # then it is D, its A place stays empty (one A left), and the veto is explained
    assert grades(result)["E009"] == "D"
    assert grade_counts(result) == {"A": 1, "B": 4, "C": 4, "D": 1}
    assert result.filter(pl.col("uscc") == "E009")["vetoes"].to_list() == [["重大事故:A→D"]]
    assert scheme.rules  # the preset carries its vetoes as data


def test_missing_emissions_get_the_pools_average_item_score():
    # given four 黄岩 enterprises, the last without emission data
    frame = (
        huangyan_frame()
        .head(4)
        .with_columns(
            pl.when(pl.col("uscc") == "E04")
            .then(None)
            .otherwise(pl.col("emission_t"))
            .alias("emission_t")
        )
    )
    result = evaluate(frame, load_preset("huangyan_2022"), 2022).frame
    items = result["s:va_per_emission"].to_list()
    # then its item is the mean of the other three items, with a data warning
    assert items[3] == pytest.approx(sum(items[:3]) / 3, rel=1e-12)
    assert "主要污染物排放量或工业增加值缺失或为零,该项按池内平均得分计" in result["warnings"][3]


def test_missing_rd_scores_zero_and_missing_land_or_staff_is_not_evaluated():
    frame = (
        huangyan_frame()
        .head(4)
        .with_columns(
            pl.Series("rd_expenditure", [None, 785.2, 785.2, 785.2]),
            pl.Series("land_area_mu", [50.0, None, 50.0, 50.0]),
            pl.Series("avg_employees", [120.0, 120.0, 0.0, 120.0]),
        )
    )
    result = evaluate(frame, load_preset("huangyan_2022"), 2022).frame
    first, no_land, no_staff, _ = result.iter_rows(named=True)
    # then R&D missing → 0 with a warning; land or staff missing/zero → not evaluated, with reason
    assert first["s:rd_intensity"] == 0.0
    assert first["status"] == "graded"
    assert any("研发经费支出" in w for w in first["warnings"])
    assert (no_land["status"], no_land["total"]) == ("not_evaluated", None)
    assert no_land["reason"] == "用地面积缺失或为零,不参加规上评价"
    assert no_staff["reason"] == "年平均职工人数缺失或为零,不参加规上评价"


def test_prior_year_benchmark_needs_the_prior_year_and_names_it():
    with pytest.raises(EvaluationError, match="2023年规上"):
        evaluate(
            enterprises([100.0], electricity_10k_kwh=[50.0], operating_revenue=[900.0]),
            load_preset("huaian_2024"),
            2024,
        )


def test_prior_year_benchmark_is_k_times_the_prior_mean():
    # given 2023: 亩均税收 10 and 20 → mean 15; 淮安 doubles it
    prior = enterprises(
        [100.0, 200.0], electricity_10k_kwh=[50.0, 50.0], operating_revenue=[900.0, 900.0]
    )
    now = enterprises([300.0], electricity_10k_kwh=[50.0], operating_revenue=[900.0])
    evaluation = evaluate(now, load_preset("huaian_2024"), 2024, prior)
    assert evaluation.benchmarks["above"]["tax_per_mu"] == 30.0


def test_reaching_the_next_grade_by_tax_is_exact():
    # given ten units; E000 is D (c = 2, 6, 10 → no D; so use n = 30 where D = 1)
    frame = enterprises([float(100 + 10 * i) for i in range(30)])
    scheme = single_scheme()
    result = evaluate(frame, scheme, 2024).frame
    worst = result.filter(pl.col("uscc") == "E000").row(0, named=True)
    assert (worst["grade"], worst["target_grade"]) == ("D", "B")
    # when it pays the extra tax the card names, it reaches B; with 1% less it does not
    for extra, wanted in ((worst["more_tax"], "B"), (worst["more_tax"] * 0.99, "C")):
        taxes = [100.0 + extra] + [float(100 + 10 * i) for i in range(1, 30)]
        again = evaluate(enterprises(taxes), scheme, 2024).frame
        assert grades(again)["E000"] == wanted


def test_a_scheme_with_errors_lists_every_problem():
    with pytest.raises(SchemeError) as caught:
        parse_scheme(
            preset_text("huangyan_2022")
            .replace(
                'code = "tax_per_mu"\nname = "亩均税收"\nunit = "万元/亩"\nparent',
                'code = "tax_per_xx"\nparent',
            )
            .replace('numerator = "rd_expenditure"', 'numerator = "nothing"')
        )
    problems = caught.value.problems
    assert any("未定义的指标「tax_per_xx」" in p for p in problems)
    assert any("「nothing」不是可用字段" in p for p in problems)
