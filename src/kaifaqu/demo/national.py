"""A synthetic national set of national ETDZs (国家级经开区) in 东部/中部/西部, zone-year indicators
only, so that the MOFCOM preset ranks by region as it does in reality.

The zones sit in one pseudo-province (code 980000, "全国国家级经开区(合成数据)") beside the demo
province, whose own national ETDZs join them in a national run. Each zone has a latent strength
(eastern zones stronger on average) that drives its levels; growth rates, shares and scores are
drawn around regional means. Deterministic for a seed; rebuilt from scratch on every call.

>>> counts = generate_national(seed=2026)  # doctest: +SKIP
>>> counts["zones"]  # doctest: +SKIP
226
"""

from decimal import Decimal

import numpy as np
from django.db import transaction

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.log import log_bulk
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.zones.models import Zone, ZoneYear

NATIONAL_CODE = "980000"
NATIONAL_NAME = "全国国家级经开区(合成数据)"
# 226 synthetic + the demo province's 4 national ETDZs ≈ the 230 of the real list.
REGIONS = (("东部", 110, 0.35), ("中部", 66, 0.0), ("西部", 50, -0.3))  # group, count, strength
YEARS = np.arange(2021, 2026)
MISSING_SHARE = 0.02
_STREAM = 7  # this generator's random stream, apart from the province's

# code → (median level of an average zone, spread of log level, yearly growth, places)
LEVELS: dict[str, tuple[float, float, float, int]] = {
    "gdp": (600.0, 0.7, 0.06, 2),
    "public_budget_revenue": (45.0, 0.75, 0.04, 2),
    "fdi_actual": (3.0, 1.0, 0.02, 4),
    "trade_total": (500.0, 1.0, 0.05, 2),
    "tax_per_mu": (25.0, 0.5, 0.03, 2),
    "va_per_industrial_land": (180.0, 0.5, 0.04, 2),
    "rd_institutions": (40.0, 0.7, 0.05, 0),
    "high_tech_enterprises": (250.0, 0.8, 0.08, 0),
    "invention_patents_per_10k": (40.0, 0.6, 0.08, 2),
    "new_urban_jobs": (12000.0, 0.6, 0.02, 0),
    "joint_parks": (3.0, 0.6, 0.05, 0),
    "delegated_powers_taken": (120.0, 0.4, 0.05, 0),
}
# cost indicators: lower for stronger zones, falling a little every year
COSTS: dict[str, tuple[float, float, float, int]] = {
    "energy_per_industrial_va": (0.45, 0.35, -0.03, 4),
    "co2_per_industrial_va": (1.0, 0.35, -0.03, 4),
    "water_per_industrial_va": (10.0, 0.4, -0.04, 2),
    "energy_per_gdp": (0.35, 0.35, -0.03, 4),
}
# growth rates in %: mean for an average zone, sd
GROWTH: dict[str, tuple[float, float]] = {
    "gdp_growth": (6.5, 2.5),
    "industrial_va_growth": (8.0, 4.0),
    "fixed_asset_investment_growth": (5.0, 8.0),
    "fdi_growth": (3.0, 20.0),
    "trade_growth": (5.0, 12.0),
}
# shares and scores: (mean, sd, low, high)
BOUNDED: dict[str, tuple[float, float, float, float]] = {
    "foreign_enterprise_tax_share": (22.0, 10.0, 1.0, 80.0),
    "rd_intensity": (2.4, 0.8, 0.3, 7.0),
    "solid_waste_utilisation": (93.0, 4.0, 60.0, 99.9),
    "safety_responsibility_score": (90.0, 4.0, 60.0, 100.0),
    "reform_pilot_completion": (88.0, 7.0, 40.0, 100.0),
}


def _plan(rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
    groups = [g for g, count, _ in REGIONS for _ in range(count)]
    mean = np.concatenate([np.full(count, s) for _, count, s in REGIONS])
    return groups, mean + rng.normal(0, 0.45, mean.size)


def draw_series(rng: np.random.Generator, strength: np.ndarray) -> dict[str, np.ndarray]:
    """Indicator code → (zones × years) values, NaN where missing."""
    zones, years = strength.size, np.arange(YEARS.size)
    shape = (zones, YEARS.size)
    out: dict[str, np.ndarray] = {}
    for code, (median, spread, growth, places) in {**LEVELS, **COSTS}.items():
        sign = -0.5 if code in COSTS else 1.0
        base = np.log(median) + sign * strength + rng.normal(0, spread, zones)
        trend = growth * years + rng.normal(0, 0.04, shape)
        out[code] = np.round(np.exp(base[:, None] + trend), places)
    for code, (mean, sd) in GROWTH.items():
        out[code] = np.round(mean + 1.5 * strength[:, None] + rng.normal(0, sd, shape), 2)
    for code, (mean, sd, low, high) in BOUNDED.items():
        level = mean + sd * 0.5 * strength[:, None] + rng.normal(0, sd, (zones, 1))
        out[code] = np.round(np.clip(level + rng.normal(0, sd / 4, shape), low, high), 2)
    out["online_monitoring_rate"] = np.where(
        rng.random(shape) < 0.9, 100.0, np.round(rng.uniform(85, 99.9, shape), 2)
    )
    out["safety_risk_assessment_rate"] = np.where(
        rng.random(shape) < 0.8, 100.0, np.round(rng.uniform(80, 99.9, shape), 2)
    )
    done = rng.integers(2015, 2027, zones)
    out["circular_retrofit_done"] = (done[:, None] <= YEARS).astype(float)
    out["major_accidents"] = rng.poisson(0.08, shape).astype(float)
    for code, values in out.items():
        out[code] = np.where(rng.random(shape) < MISSING_SHARE, np.nan, values)
    return out


def delete_national() -> int:
    """Remove the national set (its zone years, zones and pseudo-province)."""
    deleted, _ = ZoneYear.objects.filter(province_code=NATIONAL_CODE).delete()
    Zone.objects.filter(province_code=NATIONAL_CODE).delete()
    Region.objects.filter(code=NATIONAL_CODE).delete()
    return deleted


@transaction.atomic
def generate_national(*, seed: int, acting_user: ActingUser | None = None) -> dict[str, int]:
    """Build (or rebuild) the national set; one change-log entry with its counts."""
    delete_national()
    rng = np.random.default_rng([seed, _STREAM])
    groups, strength = _plan(rng)
    region = Region.objects.create(code=NATIONAL_CODE, name=NATIONAL_NAME, level="province")
    zones = Zone.objects.bulk_create(
        Zone(
            code=f"N{i + 1:04d}",
            name=f"{group}合成{i + 1:03d}号经济技术开发区",
            kind="national_etdz",
            region=region,
            province_code=NATIONAL_CODE,
            comparison_group=group,
        )
        for i, group in enumerate(groups)
    )
    indicators = dict(Indicator.objects.values_list("code", "id"))
    series = draw_series(rng, strength)
    rows = [
        ZoneYear(
            zone_id=zone.pk,
            province_code=NATIONAL_CODE,
            year=int(year),
            indicator_id=indicators[code],
            value=None if np.isnan(value) else Decimal(repr(float(value))),
        )
        for code, values in series.items()
        if code in indicators
        for zone, zone_values in zip(zones, values, strict=True)
        for year, value in zip(YEARS, zone_values, strict=True)
    ]
    ZoneYear.objects.bulk_create(rows, batch_size=5000)
    counts = {"zones": len(zones), "zone_years": len(rows)}
    log_bulk(Zone, label=f"生成全国国家级经开区合成数据(随机种子 {seed})", counts=counts,
             acting_user=acting_user)  # fmt: skip
    return counts
