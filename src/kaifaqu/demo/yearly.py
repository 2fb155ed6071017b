"""Five years of statistics for a chunk of enterprises, as (enterprises × years) arrays.

Each enterprise's latent size grows along its own trend with yearly shocks; revenue drives output,
value added, tax, assets and staff; land is bought once for the plant a typical year needs; energy
and emissions follow the industry's intensity. Then reality is added: outliers, a few data errors
(no land, zero energy, 增加值 above 总产值), about 3% missing cells, and a last small nudge
(``calibrate``) that puts the chunk's pooled ratios on the 台州黄岩 2022 benchmarks, so that even a
small demo grades sensibly under the presets.
"""

from dataclasses import dataclass

import numpy as np

from kaifaqu.demo import profiles
from kaifaqu.demo.population import LAST_YEAR, NO_EXIT, YEARS, Enterprises

ABOVE_SCALE_REVENUE = 2000.0  # 万元 of 主营业务收入: the statistical 规模以上 threshold
MACRO_GROWTH = np.array([0.0, 0.03, 0.05, 0.05, 0.04])  # the province's yearly effect, log revenue
MU_PER_M2 = 1 / 666.67

# Scales tuned (seed 2026, 20,000 enterprises) so that the raw draws' pooled 规上 ratios already sit
# within 3% of TARGETS; ``calibrate`` then removes only what is left, mostly one chunk's luck.
REVENUE_PER_MU = 405.0  # 万元 of a typical year's revenue per 亩 held, at the 规上 threshold
TAX_SCALE = 1.1
ENERGY_SCALE = 0.55
EMISSION_PER_VA = 1.26e-4  # pollutant tonnes per 万元 of value added, before the industry's factor
PRODUCTIVITY = 19.4  # 万元 of value added per employee, before the industry's factor
RD_SCALE = 0.87

# 台州黄岩 2022 规上 benchmarks (METHODS §1.3) and its 规下 亩均税收 benchmark. Each is met as a
# ratio of sums over the pool's latest-year rows that have both values and a positive
# denominator (Σ税收 / Σ用地), which is how a bureau computes its 全区平均亩均税收.
TARGETS = {
    "tax_per_mu": 24.097,
    "va_per_mu": 136.16,
    "va_per_energy": 2.694,
    "va_per_emission": 4929.81,
    "labor_prod": 18.14,
    "rd_intensity": 0.0302,
    "below_scale_tax_per_mu": 11.5932,
}

MONEY = (
    "operating_revenue",
    "main_business_revenue",
    "industrial_output",
    "value_added",
    "total_profit",
    "tax_paid",
    "total_assets",
    "total_liabilities",
    "rd_expenditure",
    "export_value",
    "fdi_used",
    "high_tech_revenue",
)
QUANTITIES = ("land_area_mu", "leased_floor_area_m2", "energy_tce", "electricity_10k_kwh")
POLLUTANTS = ("cod_t", "ammonia_nitrogen_t", "so2_t", "nox_t")
COUNTS = ("avg_employees", "rd_staff")
FIELDS = MONEY + QUANTITIES + POLLUTANTS + COUNTS
MISSING_SHARE = 0.03


@dataclass
class Panel:
    """Statistics by (enterprise, year); NaN is a missing value, ``alive`` marks rows that exist."""

    alive: np.ndarray
    above: np.ndarray
    zone: np.ndarray  # the enterprise's zone in that year
    values: dict[str, np.ndarray]
    land_completion: np.ndarray  # per enterprise, datetime64[D] or NaT
    first_above: np.ndarray  # per enterprise, 0 if never above scale


def draw_panel(rng: np.random.Generator, ent: Enterprises) -> Panel:
    alive = (ent.reg_year[:, None] <= YEARS) & (ent.exit_year[:, None] > YEARS)
    revenue = _revenue(rng, ent)
    values = _finances(rng, ent, revenue)
    land, completion = _land(rng, ent)
    values.update(land)
    values.update(_energy_and_emissions(rng, ent, values))
    values.update(_staff_and_trade(rng, ent, values))
    _add_spikes(rng, values, alive)
    above = values["main_business_revenue"] >= ABOVE_SCALE_REVENUE
    _add_errors(rng, values, alive)
    _blank_missing(rng, values, alive)
    calibrate(values, alive, above)
    _round(values)
    moved = (ent.moved_from[:, None] >= 0) & (ent.moved_year[:, None] > YEARS)
    return Panel(
        alive=alive,
        above=above,
        zone=np.where(moved, ent.moved_from[:, None], ent.zone[:, None]),
        values=values,
        land_completion=completion,
        first_above=_first_above(rng, above & alive, ent.reg_year),
    )


def _noise(rng: np.random.Generator, n: int, sigma: float, per_year: bool = True) -> np.ndarray:
    """Multiplicative lognormal noise, one per row (persistent trait) or one per cell."""
    return np.exp(rng.normal(0, sigma, (n, len(YEARS)) if per_year else (n, 1)))


def _revenue(rng: np.random.Generator, ent: Enterprises) -> np.ndarray:
    n, t = ent.count, np.arange(len(YEARS))
    log = ent.size[:, None] + np.cumsum(MACRO_GROWTH) + ent.trend[:, None] * t
    log = log + rng.normal(0, 0.12, (n, len(YEARS)))
    # A new plant ramps up over its first three years.
    log -= 0.6 * np.clip(3 - (YEARS - ent.reg_year[:, None]), 0, 3)
    stopped, half = ent.status == 1, ent.status == 2
    log[stopped, -1] += np.log(0.1)
    log[stopped, -2] += np.log(0.6)
    log[half, -1] += np.log(0.45)
    log += np.where(ent.exit_year[:, None] - 1 == YEARS, np.log(0.6), 0.0)  # winding down
    revenue: np.ndarray = np.exp(log)
    return revenue


def _finances(
    rng: np.random.Generator, ent: Enterprises, revenue: np.ndarray
) -> dict[str, np.ndarray]:
    n, ind = ent.count, ent.industry
    output = revenue * _noise(rng, n, 0.06)
    va_share = profiles.column("value_added")[ind][:, None] * _noise(rng, n, 0.15, False)
    margin = rng.normal(0.06, 0.05, (n, 1)) + rng.normal(0, 0.03, (n, len(YEARS)))
    young = (YEARS - ent.reg_year[:, None]) < 3  # tax holidays and start-up losses
    tax_rate = (
        TAX_SCALE * profiles.column("tax")[ind][:, None] * np.exp(rng.normal(-0.1, 0.5, (n, 1)))
    )
    tax = revenue * tax_rate * _noise(rng, n, 0.15) * np.where(young, 0.6, 1.0)
    assets = revenue * _noise(rng, n, 0.4, False) * _noise(rng, n, 0.05)
    leverage = rng.beta(5.5, 4.5, (n, 1)) + rng.normal(0, 0.03, (n, len(YEARS)))
    main_share = 1 - np.minimum(rng.exponential(0.04, (n, 1)), 0.4)
    return {
        "operating_revenue": revenue,
        "main_business_revenue": revenue * main_share,
        "industrial_output": output,
        "value_added": output * np.clip(va_share * _noise(rng, n, 0.05), 0.05, 0.85),
        "total_profit": revenue * margin,
        "tax_paid": tax * np.where(margin < 0, 0.7, 1.0),
        "total_assets": assets,
        "total_liabilities": assets * np.clip(leverage, 0.05, 1.5),
    }


def _land(rng: np.random.Generator, ent: Enterprises) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Land bought for a typical year's plant; small firms get more land per 万元 than big ones,
    heavy industry more than light. Some lease instead, a few expand once."""
    n = ent.count
    typical = np.exp(ent.size + 0.08 + 2 * ent.trend)
    heavy = np.isin(np.array(profiles.CODES)[ent.industry], list(profiles.HEAVY))
    per_mu = REVENUE_PER_MU * np.exp(0.15 * (ent.size - 7.6) + rng.normal(0, 0.55, n))
    per_mu = per_mu * np.where(heavy, 0.7, 1)
    own = typical / per_mu
    leases_only = rng.random(n) < np.where(ent.size < 7, 0.25, 0.06)
    expands_in = np.where(rng.random(n) < 0.08, rng.integers(1, len(YEARS), n), len(YEARS))
    growth = np.where(
        np.arange(len(YEARS)) >= expands_in[:, None], rng.uniform(1.2, 1.8, (n, 1)), 1
    )
    also_leases = rng.random(n) < 0.08
    leased = np.select(
        [leases_only, also_leases],
        [own / MU_PER_M2 * rng.uniform(0.8, 1.5, n), own / MU_PER_M2 * rng.uniform(0.1, 0.5, n)],
        0.0,
    )
    built = ent.registration + (rng.uniform(1, 3, n) * 365.25).astype("timedelta64[D]")
    completion = np.where(
        ~leases_only & (built <= np.datetime64(f"{LAST_YEAR}-12-31")), built, np.datetime64("NaT")
    )
    land = np.where(leases_only, 0.0, own)[:, None] * growth
    return {
        "land_area_mu": land,
        "leased_floor_area_m2": np.repeat(leased[:, None], len(YEARS), 1),
    }, completion


def _energy_and_emissions(
    rng: np.random.Generator, ent: Enterprises, values: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    n, ind, t = ent.count, ent.industry, np.arange(len(YEARS))
    intensity = ENERGY_SCALE * profiles.column("energy")[ind][:, None] * _noise(rng, n, 0.6, False)
    energy = values["industrial_output"] * intensity * _noise(rng, n, 0.08) * 0.97**t
    share = np.clip(profiles.column("electricity")[ind] * np.exp(rng.normal(0, 0.15, n)), 0.02, 1.0)
    # Electricity at its 等价值 coefficient, about 3 tce per 万kWh.
    electricity = energy * share[:, None] / 3.0
    per_va = (
        profiles.column("emission")[ind][:, None] * EMISSION_PER_VA * _noise(rng, n, 0.8, False)
    )
    total = values["value_added"] * per_va * _noise(rng, n, 0.1) * 0.95**t
    split = profiles.emission_split()[ind] * np.exp(rng.normal(0, 0.4, (n, 4)))
    light = np.array(
        [profiles.PROFILES[i].emission_kind == "L" for i in range(len(profiles.CODES))]
    )
    split[:, 2] *= ~(light[ind] & (rng.random(n) < 0.5))  # half the light plants burn no fuel
    split /= split.sum(axis=1, keepdims=True)
    out = {"energy_tce": energy, "electricity_10k_kwh": electricity}
    out.update({name: total * split[:, [k]] for k, name in enumerate(POLLUTANTS)})
    return out


def _staff_and_trade(
    rng: np.random.Generator, ent: Enterprises, values: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    n, ind, t = ent.count, ent.industry, np.arange(len(YEARS))
    revenue = values["operating_revenue"]
    productivity = (
        PRODUCTIVITY * profiles.column("productivity")[ind][:, None] * _noise(rng, n, 0.4, False)
    )
    employees = np.maximum(values["value_added"] / (productivity * _noise(rng, n, 0.05)), 3)
    staff_share = np.clip(ent.rd_share * 3 * np.exp(rng.normal(0, 0.3, n)), 0, 0.6)[:, None]
    export_share = np.select(
        [ent.ownership == 2, ent.ownership == 1, rng.random(n) < 0.4],
        [rng.beta(2, 3, n), rng.beta(1.5, 3.5, n), rng.beta(1, 5, n)],
        0.0,
    )
    invests = (ent.ownership[:, None] > 0) & (rng.random((n, len(YEARS))) < 0.3)
    certified = ent.high_tech_since[:, None] <= YEARS
    return {
        "rd_expenditure": values["main_business_revenue"] * ent.rd_share[:, None] * RD_SCALE
        * _noise(rng, n, 0.1) * 1.02**t,
        "avg_employees": employees,
        "rd_staff": employees * staff_share,
        "export_value": np.minimum(revenue * export_share[:, None] * _noise(rng, n, 0.1), revenue),
        "fdi_used": np.where(invests, revenue * rng.uniform(0.02, 0.12, (n, len(YEARS))), 0.0),
        "high_tech_revenue": np.where(certified, revenue * rng.uniform(0.5, 0.9, (n, 1)), 0.0),
    }  # fmt: skip


def _add_spikes(rng: np.random.Generator, values: dict[str, np.ndarray], alive: np.ndarray) -> None:
    """Outliers: a big-contract year (revenue and tax several times the usual) and one-off taxes."""
    spike = alive & (rng.random(alive.shape) < 0.002)
    factor = np.where(spike, rng.uniform(3, 8, alive.shape), 1.0)
    for name in MONEY[:6]:
        values[name] = values[name] * factor
    one_off = alive & (rng.random(alive.shape) < 0.0015)
    values["tax_paid"] = values["tax_paid"] * np.where(
        one_off, rng.uniform(5, 20, alive.shape), 1.0
    )


def _add_errors(rng: np.random.Generator, values: dict[str, np.ndarray], alive: np.ndarray) -> None:
    """Data errors a clerk would have to chase: no land, zero energy, 增加值 above 总产值,
    主营业务收入 above 营业收入."""
    u = rng.random((4, *alive.shape))
    land = values["land_area_mu"]
    values["land_area_mu"] = np.where(alive & (land > 0) & (u[0] < 0.003), 0.0, land)
    values["energy_tce"] = np.where(alive & (u[1] < 0.003), 0.0, values["energy_tce"])
    over = alive & (u[2] < 0.001)
    values["value_added"] = np.where(over, values["industrial_output"] * 1.2, values["value_added"])
    over = alive & (u[3] < 0.001)
    main = values["operating_revenue"] * 1.1
    values["main_business_revenue"] = np.where(over, main, values["main_business_revenue"])


def _blank_missing(
    rng: np.random.Generator, values: dict[str, np.ndarray], alive: np.ndarray
) -> None:
    for name in FIELDS:
        values[name] = np.where(rng.random(alive.shape) < MISSING_SHARE, np.nan, values[name])


def pooled_ratio(numerator: np.ndarray, denominator: np.ndarray, pool: np.ndarray) -> float:
    """Σ numerator / Σ denominator over the pool's rows with both values and a positive
    denominator; NaN if there are none."""
    usable = pool & np.isfinite(numerator) & np.isfinite(denominator) & (denominator > 0)
    total = float(denominator[usable].sum())
    return float(numerator[usable].sum()) / total if total > 0 else float("nan")


def calibrate(
    values: dict[str, np.ndarray], alive: np.ndarray, above: np.ndarray
) -> dict[str, float]:
    """Scale one field per benchmark so the latest year's pooled ratio meets it exactly.

    Land goes first because both 亩均 ratios divide by it; no later step scales a field an earlier
    step measured, so the steps do not undo one another. Returns the factors: all near 1, since
    the draws are tuned to the benchmarks already and the nudge only removes the chunk's luck.
    """
    upper, lower = alive[:, -1] & above[:, -1], alive[:, -1] & ~above[:, -1]
    va = values["value_added"]  # never scaled
    applied: dict[str, float] = {}

    def ratio(numerator: np.ndarray, denominator: np.ndarray, pool: np.ndarray) -> float:
        return pooled_ratio(numerator[:, -1], denominator[:, -1], pool)

    def scale(
        benchmark: str, names: tuple[str, ...], factor: float, rows: np.ndarray | bool = True
    ) -> None:
        factor = factor if np.isfinite(factor) and factor > 0 else 1.0
        applied[benchmark] = factor
        for name in names:
            values[name] = values[name] * np.where(rows, factor, 1.0)

    land = ("land_area_mu",)
    scale("va_per_mu", land, ratio(va, values[land[0]], upper) / TARGETS["va_per_mu"])
    tax = values["tax_paid"]
    scale(
        "tax_per_mu",
        ("tax_paid",),
        TARGETS["tax_per_mu"] / ratio(tax, values[land[0]], upper),
        above,
    )
    scale(
        "below_scale_tax_per_mu",
        ("tax_paid",),
        TARGETS["below_scale_tax_per_mu"] / ratio(values["tax_paid"], values[land[0]], lower),
        ~above,
    )
    energy = ratio(va, values["energy_tce"], upper) / TARGETS["va_per_energy"]
    scale("va_per_energy", ("energy_tce", "electricity_10k_kwh"), energy)
    emissions = sum((values[name] for name in POLLUTANTS), np.zeros_like(va))
    scale("va_per_emission", POLLUTANTS, ratio(va, emissions, upper) / TARGETS["va_per_emission"])
    scale("labor_prod", COUNTS, ratio(va, values["avg_employees"], upper) / TARGETS["labor_prod"])
    rd = ratio(values["rd_expenditure"], values["main_business_revenue"], upper)
    scale("rd_intensity", ("rd_expenditure",), TARGETS["rd_intensity"] / rd)
    return applied


def _round(values: dict[str, np.ndarray]) -> None:
    for name in MONEY:
        values[name] = np.round(values[name], 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    for name in QUANTITIES:
        positive = values[name] > 0
        values[name] = np.where(positive, np.maximum(np.round(values[name], 2), 0.01), values[name])
    for name in POLLUTANTS:
        values[name] = np.round(values[name], 4) + 0.0
    employees = np.maximum(np.round(values["avg_employees"]), 1)
    values["avg_employees"] = employees
    values["rd_staff"] = np.minimum(
        np.round(values["rd_staff"]), np.nan_to_num(employees, nan=np.inf)
    )


def _first_above(rng: np.random.Generator, above: np.ndarray, reg_year: np.ndarray) -> np.ndarray:
    """首次入规年度: the first year seen above scale; for those already above in the first year and
    registered before it, a year drawn between registration (not before 2011) and then."""
    ever = above.any(axis=1)
    first = YEARS[np.argmax(above, axis=1)]
    earlier = rng.integers(np.clip(reg_year, 2011, YEARS[0]), YEARS[0] + 1)
    first = np.where(above[:, 0] & (reg_year < YEARS[0]), earlier, first)
    return np.where(ever, first, 0)


__all__ = ["FIELDS", "NO_EXIT", "TARGETS", "Panel", "draw_panel", "pooled_ratio"]
