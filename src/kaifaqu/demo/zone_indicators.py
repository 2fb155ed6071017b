"""Yearly zone indicators (数据指标库) of the synthetic province.

Indicators the enterprise data can answer (亩均税收, R&D intensity, 高新技术企业数, energy per
unit of value added, 较大及以上事故数 …) are computed from it, summed chunk by chunk so a million
enterprises never sit in memory at once. The rest (GDP growth, reform completion …) are drawn to
look plausible for the zone's kind. About 3% of values are missing.
"""

import numpy as np

from kaifaqu.demo.geography import ZonePlan
from kaifaqu.demo.population import FIRST_YEAR, YEARS, Enterprises, Events
from kaifaqu.demo.yearly import MISSING_SHARE, Panel

# 人民币对美元年平均汇率, to turn 实际使用外资 from 万元 into 亿美元.
YUAN_PER_DOLLAR = np.array([6.45, 6.73, 7.08, 7.19, 7.18])

# Decimal places each indicator is published with.
PLACES: dict[str, int] = {
    "gdp": 2,
    "public_budget_revenue": 2,
    "fdi_actual": 4,
    "trade_total": 2,
    "tax_per_mu": 2,
    "va_per_industrial_land": 2,
    "energy_per_industrial_va": 4,
    "co2_per_industrial_va": 4,
    "water_per_industrial_va": 2,
    "energy_per_gdp": 4,
    "rd_institutions": 0,
    "high_tech_enterprises": 0,
    "new_urban_jobs": 0,
    "joint_parks": 0,
    "delegated_powers_taken": 0,
    "major_accidents": 0,
    "circular_retrofit_done": 0,
}
DEFAULT_PLACES = 2  # percentages, scores


def accumulate(ent: Enterprises, panel: Panel, events: Events, zones: int) -> dict[str, np.ndarray]:
    """Per (zone, year) sums of one chunk, flat over zone × year; add chunks' results together."""
    years = len(YEARS)
    cell = panel.zone * years + np.arange(years)
    values, alive = panel.values, panel.alive
    sums: dict[str, np.ndarray] = {}

    def add(key: str, weights: np.ndarray, rows: np.ndarray) -> None:
        use = alive & rows & np.isfinite(weights)
        sums[key] = np.bincount(cell[use], weights=weights[use], minlength=zones * years)

    def add_pair(
        key: str, numerator: np.ndarray, denominator: np.ndarray, rows: np.ndarray
    ) -> None:
        both = rows & np.isfinite(numerator) & np.isfinite(denominator) & (denominator > 0)
        add(key + "_num", numerator, both)
        add(key + "_den", denominator, both)

    everyone = np.ones_like(alive)
    va, tax, land = values["value_added"], values["tax_paid"], values["land_area_mu"]
    add("va", va, everyone)
    add("va_above", va, panel.above)
    add("tax", tax, everyone)
    add("tax_foreign", tax, np.broadcast_to((ent.ownership > 0)[:, None], alive.shape))
    for key in ("energy_tce", "fdi_used", "export_value", "avg_employees"):
        add(key, values[key], everyone)
    add("high_tech", np.ones(alive.shape), ent.high_tech_since[:, None] <= YEARS)
    add_pair("tax_land", tax, land, everyone)
    add_pair("va_land", va, land, everyone)
    add_pair("energy_va_above", values["energy_tce"], va, panel.above)
    add_pair("rd_revenue_above", values["rd_expenditure"], values["operating_revenue"], panel.above)
    sums["accidents"] = _accidents(panel, events, zones)
    return sums


def _accidents(panel: Panel, events: Events, zones: int) -> np.ndarray:
    """较大及以上事故数: the chunk's major safety accidents, counted in the zone the enterprise
    was in at the time."""
    years = len(YEARS)
    safety = events.kind == "safety_accident"
    year = events.date[safety].astype("datetime64[Y]").astype(int) + 1970 - FIRST_YEAR
    zone = panel.zone[events.enterprise[safety], year]
    return np.bincount(zone * years + year, minlength=zones * years).astype(float)


def zone_series(
    rng: np.random.Generator, plans: list[ZonePlan], totals: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Indicator code → (zones × years) values, NaN where missing."""
    shape = (len(plans), len(YEARS))
    t = {key: value.reshape(shape) for key, value in totals.items()}
    series = _economy(rng, plans, t) | _innovation(rng, plans, t) | _environment(rng, plans, t)
    series |= _governance(rng, plans, t)
    for code, values in series.items():
        values = np.round(values, PLACES.get(code, DEFAULT_PLACES)) + 0.0
        series[code] = np.where(rng.random(shape) < MISSING_SHARE, np.nan, values)
    return series


def _kinds(plans: list[ZonePlan]) -> np.ndarray:
    return np.array([plan.kind for plan in plans])


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    safe = np.where(denominator > 0, denominator, 1.0)
    return np.where(denominator > 0, numerator / safe, np.nan)


def _growth(rng: np.random.Generator, level: np.ndarray, first: tuple[float, float]) -> np.ndarray:
    """Year-on-year growth in %; the first year (whose base year is not generated) is drawn."""
    growth = np.full(level.shape, np.nan)
    growth[:, 0] = rng.normal(*first, len(level))
    growth[:, 1:] = 100 * (_ratio(level[:, 1:], level[:, :-1]) - 1)
    return growth


def _economy(
    rng: np.random.Generator, plans: list[ZonePlan], t: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    zones, customs = len(plans), _kinds(plans) == "customs_special"
    # Industry's share of GDP: bonded zones are nearly all industry and trade.
    industry_share = np.where(customs, 0.85, rng.uniform(0.45, 0.7, zones))[:, None]
    gdp = t["va"] / industry_share / 1e4
    fdi = t["fdi_used"] / 1e4 / YUAN_PER_DOLLAR
    trade = t["export_value"] * (1 + rng.uniform(0.5, 0.9, (zones, 1))) / 1e4
    local_share = rng.uniform(0.4, 0.5, (zones, 1)) / rng.uniform(0.6, 0.8, (zones, 1))
    return {
        "gdp": gdp,
        "gdp_growth": _growth(rng, gdp, (8.5, 2.5)),
        "industrial_va_growth": _growth(rng, t["va_above"], (10.0, 4.0)),
        "public_budget_revenue": t["tax"] * local_share / 1e4,
        "tax_per_mu": _ratio(t["tax_land_num"], t["tax_land_den"]),
        "fixed_asset_investment_growth": rng.normal(5, 8, gdp.shape),
        "fdi_actual": fdi,
        "fdi_growth": _growth(rng, fdi, (5.0, 15.0)),
        "trade_total": trade,
        "trade_growth": _growth(rng, trade, (12.0, 10.0)),
        "foreign_enterprise_tax_share": 100 * _ratio(t["tax_foreign"], t["tax"]),
        "va_per_industrial_land": _ratio(t["va_land_num"], t["va_land_den"]),
        "new_urban_jobs": _new_jobs(rng, t["avg_employees"]),
    }


def _new_jobs(rng: np.random.Generator, employees: np.ndarray) -> np.ndarray:
    """城镇新增就业: net growth of the zone's staff plus turnover of 4–8% a year."""
    growth = np.diff(employees, axis=1, prepend=employees[:, :1])
    return np.maximum(growth, 0) + employees * rng.uniform(0.04, 0.08, employees.shape)


def _innovation(
    rng: np.random.Generator, plans: list[ZonePlan], t: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    zones, years = len(plans), np.arange(len(YEARS))
    high_tech_zone = np.char.endswith(_kinds(plans).astype(str), "htz")[:, None]
    patents = np.exp(rng.normal(np.log(25), 0.4, (zones, 1))) * np.where(high_tech_zone, 2.0, 1.0)
    institutions = t["high_tech"] * rng.uniform(0.08, 0.15, (zones, 1)) + rng.poisson(1, (zones, 1))
    return {
        "rd_intensity": 100 * _ratio(t["rd_revenue_above_num"], t["rd_revenue_above_den"]),
        "rd_institutions": np.maximum.accumulate(np.round(institutions), axis=1),
        "high_tech_enterprises": t["high_tech"],
        "invention_patents_per_10k": patents
        * 1.08**years
        * np.exp(rng.normal(0, 0.03, t["va"].shape)),
    }


def _environment(
    rng: np.random.Generator, plans: list[ZonePlan], t: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    zones, shape, years = len(plans), t["va"].shape, np.arange(len(YEARS))
    national = np.char.startswith(_kinds(plans).astype(str), "national")
    energy_per_va = _ratio(t["energy_va_above_num"], t["energy_va_above_den"])
    gdp_10k = t["va"] / rng.uniform(0.45, 0.7, (zones, 1))
    # 循环化改造: national zones finished first; a year ≥ 2026 means not finished yet.
    retrofit = np.where(national, rng.integers(2017, 2024, zones), rng.integers(2019, 2031, zones))
    return {
        "energy_per_industrial_va": energy_per_va,
        "co2_per_industrial_va": energy_per_va * rng.uniform(1.9, 2.4, (zones, 1)),
        "water_per_industrial_va": np.exp(rng.normal(np.log(12), 0.4, (zones, 1)))
        * 0.96**years * np.exp(rng.normal(0, 0.05, shape)),
        "solid_waste_utilisation": np.clip(
            rng.normal(92, 4, (zones, 1)) + rng.normal(0, 1, shape) + 0.5 * years, 60, 99.9
        ),
        "energy_per_gdp": _ratio(t["energy_tce"] / rng.uniform(0.65, 0.8, (zones, 1)), gdp_10k),
        "online_monitoring_rate": _mostly_full(rng, shape, 0.85),
        "circular_retrofit_done": (retrofit[:, None] <= YEARS).astype(float),
    }  # fmt: skip


def _governance(
    rng: np.random.Generator, plans: list[ZonePlan], t: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    kinds, shape = _kinds(plans), t["va"].shape
    national = np.char.startswith(kinds.astype(str), "national")[:, None]
    powers = np.where(
        national, rng.uniform(80, 200, (len(plans), 1)), rng.uniform(20, 90, (len(plans), 1))
    )
    score = rng.normal(88, 5, (len(plans), 1)) + rng.normal(0, 2, shape)
    parks = rng.poisson(np.where(national, 2.0, 0.7), (len(plans), 1)) + np.cumsum(
        rng.poisson(0.2, shape), axis=1
    )
    return {
        "joint_parks": parks.astype(float),
        "safety_responsibility_score": np.clip(score - 8 * t["accidents"], 50, 100),
        "delegated_powers_taken": powers * np.cumprod(1 + rng.uniform(0, 0.1, shape), axis=1),
        "reform_pilot_completion": np.clip(rng.normal(85, 8, shape), 40, 100),
        "safety_risk_assessment_rate": _mostly_full(rng, shape, 0.7),
        "major_accidents": t["accidents"],
    }  # fmt: skip


def _mostly_full(rng: np.random.Generator, shape: tuple[int, int], full: float) -> np.ndarray:
    """A rate in % that is 100 for the share ``full`` of zone-years and 85–99.9 otherwise."""
    return np.where(rng.random(shape) < full, 100.0, rng.uniform(85, 99.9, shape))
