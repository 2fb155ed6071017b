"""台州黄岩 2022 benchmark-ratio scoring (METHODS §1.3) on hand-made enterprises, to the cent."""

import csv
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from kaifaqu.scoring import load_pipeline

from .conftest import FIXTURES

WEIGHTS = {
    "tax_per_mu": 30,
    "va_per_mu": 20,
    "va_per_energy": 20,
    "va_per_emission": 10,
    "labor_prod": 10,
    "rd_intensity": 10,
}
BENCHMARKS = {
    "tax_per_mu": "24.097",
    "va_per_mu": "136.16",
    "va_per_energy": "2.694",
    "va_per_emission": "4929.81",
    "labor_prod": "18.14",
    "rd_intensity": "0.0302",
}
DENOMINATORS = {
    "tax_per_mu": "land",
    "va_per_mu": "land",
    "va_per_energy": "energy",
    "va_per_emission": "emission",
    "labor_prod": "staff",
    "rd_intensity": "revenue",
}


def _exact_totals():
    """Σ w × (x / d) / B in exact rational arithmetic, then half-up to the cent."""
    with (FIXTURES / "huangyan_units.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    totals = {}
    for row in rows:
        total = sum(
            w * Fraction(row[code]) / Fraction(row[DENOMINATORS[code]]) / Fraction(BENCHMARKS[code])
            for code, w in WEIGHTS.items()
        )
        cents = Decimal(total.numerator) / Decimal(total.denominator)
        totals[row["uCode"]] = float(cents.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return totals


def test_totals_to_the_cent():
    # given six hand-made 规上 enterprises and the 2022 weights and benchmarks
    results = load_pipeline(FIXTURES / "huangyan.toml").run()
    # then the published totals equal the exact computation, cent for cent
    got = dict(zip(results.units.tolist(), results.scores.column("total").tolist(), strict=True))
    assert got == _exact_totals()
    assert got == {
        "E01": 150.66,
        "E02": 58.85,
        "E03": 190.73,
        "E04": 122.76,
        "E05": 39.66,
        "E06": 217.67,
    }


def test_items_are_ratios_to_the_benchmark():
    # E05 pays 120.485 万元 on 20 亩: 6.02425 万元/亩, a quarter of the 24.097 benchmark
    results = load_pipeline(FIXTURES / "huangyan.toml").run()
    item = results.datasets["Normalised"]
    assert item.value("E05", "tax_per_mu") == 120.485 / 20 / 24.097
    assert item.value("E05", "tax_per_mu") == 0.25


def test_grades_follow_20_60_95_quotas_within_the_pool():
    # n = 6 → c = 1, 4, 6: one A, three B, two C, no D
    results = load_pipeline(FIXTURES / "huangyan.toml").run()
    grades = dict(zip(results.units.tolist(), results.grades["grade"].tolist(), strict=True))
    assert grades == {"E06": "A", "E03": "B", "E01": "B", "E04": "B", "E02": "C", "E05": "C"}
    assert [results.rank(u, "total") for u in ("E06", "E03", "E01", "E04", "E02", "E05")] == [
        1,
        2,
        3,
        4,
        5,
        6,
    ]
