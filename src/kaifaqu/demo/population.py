"""One chunk of synthetic enterprises: who they are, where, in what industry, since when.

No Django here: the generator turns these arrays into rows. Every draw is a vector over the chunk;
a chunk's generator is derived from (seed, chunk number), so content depends on the seed and the
enterprise count only, never on timing or on the database. Besides the attributes stored on
``Enterprise``, each enterprise carries latent traits (size, trend, research share) from which
``yearly`` draws its statistics.
"""

from dataclasses import dataclass

import numpy as np

from kaifaqu.demo import geography, profiles

FIRST_YEAR, LAST_YEAR = 2021, 2025
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
NO_EXIT = 9999

STATUSES = ("operating", "stopped", "half_stopped", "deregistered", "moved_out")
STATUS_SHARES = (0.905, 0.02, 0.025, 0.03, 0.02)
OWNERSHIPS = ("domestic", "hmt", "foreign")


@dataclass(frozen=True)
class ZoneArrays:
    """What enterprise draws need to know of the zones, indexed by zone number."""

    weight: np.ndarray  # share of the province's enterprises
    leading: np.ndarray  # (zones × 4) industry indices, padded by repeating
    kind: np.ndarray  # kind names
    size_boost: np.ndarray  # log-revenue offset: national and bonded zones host bigger plants


def zone_arrays(plans: list[geography.ZonePlan]) -> ZoneArrays:
    """Enterprises per zone grow less than in proportion to its area; bonded zones are dense."""
    weight = np.array([plan.area_km2**0.7 * plan.density for plan in plans])
    leading = np.array(
        [
            [profiles.CODES.index(plan.leading[i % len(plan.leading)]) for i in range(4)]
            for plan in plans
        ]
    )
    kind = np.array([plan.kind for plan in plans])
    boost = np.select(
        [kind == "customs_special", np.char.startswith(kind, "national"), kind == "other"],
        [0.3, 0.25, 0.1],
        0.0,
    )
    return ZoneArrays(weight=weight / weight.sum(), leading=leading, kind=kind, size_boost=boost)


@dataclass
class Enterprises:
    """Per-enterprise attributes and the latent traits the yearly draws use."""

    zone: np.ndarray
    industry: np.ndarray  # index into profiles.CODES
    registration: np.ndarray  # datetime64[D]
    capital: np.ndarray
    ownership: np.ndarray  # index into OWNERSHIPS
    status: np.ndarray  # index into STATUSES
    exit_year: np.ndarray  # first year without statistics, NO_EXIT if none
    military: np.ndarray
    merger: np.ndarray  # datetime64[D], NaT if none
    high_tech_since: np.ndarray  # year of 高新技术企业 certification, NO_EXIT if none
    tags: dict[str, np.ndarray]  # tag name → bool
    size: np.ndarray  # log revenue in the first year
    trend: np.ndarray
    rd_share: np.ndarray  # R&D / main revenue, 0 for enterprises without research
    moved_from: np.ndarray  # previous zone, -1 if never moved
    moved_year: np.ndarray

    @property
    def reg_year(self) -> np.ndarray:
        return self.registration.astype("datetime64[Y]").astype(int) + 1970

    @property
    def count(self) -> int:
        return len(self.zone)


def draw_enterprises(rng: np.random.Generator, n: int, zones: ZoneArrays) -> Enterprises:
    zone = rng.choice(len(zones.weight), size=n, p=zones.weight)
    industry = _draw_industry(rng, zone, zones)
    prof = {name: profiles.column(name)[industry] for name in ("size", "rd", "high_tech")}
    registration = _draw_registration(rng, n)
    reg_year = registration.astype("datetime64[Y]").astype(int) + 1970
    size = 6.95 + prof["size"] + zones.size_boost[zone] + rng.normal(0, 1.45, n)
    trend = rng.normal(0.05, 0.07, n) + np.where(reg_year >= 2018, 0.08, 0.0)
    does_rd = rng.random(n) < np.where(size > 7.6, 0.9, 0.5)
    rd_share = np.where(does_rd, prof["rd"] * np.exp(rng.normal(0, 0.5, n)), 0.0)
    status, exit_year = _draw_status(rng, reg_year)
    ownership = _draw_ownership(rng, zones.kind[zone])
    high_tech_since = _draw_high_tech(
        rng, size, rd_share, prof["high_tech"], zones.kind[zone], reg_year
    )
    rd_share = np.where(high_tech_since < NO_EXIT, np.maximum(rd_share, 0.03), rd_share)
    moved = rng.random(n) < 0.006
    code = np.array(profiles.CODES)[industry]
    return Enterprises(
        zone=zone,
        industry=industry,
        registration=registration,
        capital=_nice_round(np.exp(size - 1.2 + rng.normal(0, 0.8, n))),
        ownership=ownership,
        status=status,
        exit_year=exit_year,
        military=np.isin(code, list(profiles.MILITARY_PRONE)) & (rng.random(n) < 0.012),
        merger=_maybe_dates(rng, rng.random(n) < 0.015, "2019-01-01", "2025-12-31"),
        high_tech_since=high_tech_since,
        tags=_draw_tags(rng, size, trend, rd_share, high_tech_since, ownership, code),
        size=size,
        trend=trend,
        rd_share=rd_share,
        moved_from=np.where(
            moved, (zone + rng.integers(1, len(zones.weight), n)) % len(zones.weight), -1
        ),
        moved_year=rng.integers(FIRST_YEAR + 1, LAST_YEAR + 1, n),
    )


def _draw_industry(rng: np.random.Generator, zone: np.ndarray, zones: ZoneArrays) -> np.ndarray:
    """Province-wide shares, with the zone's leading industries taking almost half the entrants."""
    weights = profiles.column("weight")
    base = rng.choice(len(weights), size=len(zone), p=weights / weights.sum())
    slot = rng.integers(0, zones.leading.shape[1], len(zone))
    return np.where(rng.random(len(zone)) < 0.45, zones.leading[zone, slot], base)


def _draw_registration(rng: np.random.Generator, n: int) -> np.ndarray:
    """Median age ten years; about one in ten registered after 2021, none after October 2025."""
    age = np.minimum(np.exp(rng.normal(np.log(10), 0.7, n)), 32.0)
    end = np.datetime64("2025-10-31")
    return end - (age * 365.25).astype(int).astype("timedelta64[D]")


def _draw_status(rng: np.random.Generator, reg_year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mostly 在营; those 注销 or 迁出 leave in 2022–2026, at least a year after registering."""
    status = rng.choice(len(STATUSES), size=len(reg_year), p=STATUS_SHARES)
    leaves = np.isin(status, [STATUSES.index("deregistered"), STATUSES.index("moved_out")])
    exit_year = np.maximum(rng.integers(FIRST_YEAR + 1, LAST_YEAR + 2, len(reg_year)), reg_year + 1)
    return status, np.where(leaves, exit_year, NO_EXIT)


def _draw_ownership(rng: np.random.Generator, kind: np.ndarray) -> np.ndarray:
    """内资 mostly; bonded zones and national zones draw more 港澳台 and foreign capital."""
    hmt = np.select(
        [kind == "customs_special", np.char.startswith(kind.astype(str), "national")],
        [0.15, 0.06],
        0.05,
    )
    foreign = np.select(
        [kind == "customs_special", np.char.startswith(kind.astype(str), "national")],
        [0.35, 0.1],
        0.06,
    )
    u = rng.random(len(kind))
    return np.where(u < foreign, 2, np.where(u < foreign + hmt, 1, 0))


def _draw_high_tech(
    rng: np.random.Generator,
    size: np.ndarray,
    rd_share: np.ndarray,
    propensity: np.ndarray,
    kind: np.ndarray,
    reg_year: np.ndarray,
) -> np.ndarray:
    """Certification year of 高新技术企业: research-heavy, larger firms in high-tech zones first."""
    logit = (
        -1.5
        + 1.1 * np.log(np.maximum(rd_share, 1e-3) / 0.03)
        + 0.6 * (size - 7.6)
        + np.log(propensity)
        + np.where(np.char.endswith(kind.astype(str), "htz"), 0.7, 0.0)
    )
    certified = rng.random(len(size)) < 1 / (1 + np.exp(-logit))
    since = rng.integers(np.maximum(reg_year + 1, 2010), LAST_YEAR + 2)
    return np.where(certified & (since <= LAST_YEAR), since, NO_EXIT)


def _draw_tags(
    rng: np.random.Generator,
    size: np.ndarray,
    trend: np.ndarray,
    rd_share: np.ndarray,
    high_tech_since: np.ndarray,
    ownership: np.ndarray,
    code: np.ndarray,
) -> dict[str, np.ndarray]:
    u = rng.random((6, len(size)))
    specialised = (rd_share > 0.03) & (size > 7.4) & (size < 10.5) & (u[0] < 0.25)
    top = size > np.quantile(size, 0.99) if len(size) > 100 else size > 11.5
    heavy = np.isin(code, list(profiles.HEAVY | {"13", "17", "22", "27", "28"}))
    return {
        "高新技术企业": high_tech_since <= LAST_YEAR,
        "专精特新": specialised,
        "小巨人": specialised & (u[1] < 0.15),
        "瞪羚企业": (trend > 0.16) & (size > 6.5) & (u[2] < 0.2),
        "龙头企业": top & (u[3] < 0.6),
        "上市企业": (size > 10.5) & (u[4] < 0.12),
        "重点排污单位": heavy & (size > 7.8) & (u[5] < 0.35),
        "外资企业": ownership > 0,
    }


def _maybe_dates(rng: np.random.Generator, where: np.ndarray, first: str, last: str) -> np.ndarray:
    start, stop = np.datetime64(first), np.datetime64(last)
    days = rng.integers(0, int((stop - start).astype(int)) + 1, len(where))
    return np.where(where, start + days.astype("timedelta64[D]"), np.datetime64("NaT"))


def _nice_round(values: np.ndarray) -> np.ndarray:
    """Registered capital as people declare it: two significant digits, at least 10 万元."""
    magnitude = 10.0 ** (np.floor(np.log10(np.maximum(values, 10.0))) - 1)
    rounded: np.ndarray = np.maximum(np.round(values / magnitude) * magnitude, 10.0)
    return rounded


@dataclass(frozen=True)
class Events:
    """EnterpriseEvent rows of a chunk: enterprise index, kind, date, note."""

    enterprise: np.ndarray
    kind: np.ndarray
    date: np.ndarray  # datetime64[D]
    note: np.ndarray


# kind → (yearly chance per enterprise, notes); heavy industry has three times the accidents.
EVENT_KINDS: dict[str, tuple[float, tuple[str, ...]]] = {
    "safety_accident": (
        0.0003,
        ("车间火灾(演示数据)", "起重伤害事故(演示数据)", "有限空间作业中毒(演示数据)"),
    ),
    "environmental_accident": (0.00015, ("废水超标排放(演示数据)", "危险废物非法处置(演示数据)")),
    "dishonest_listed": (0.0015, ("拖欠税款(演示数据)", "拒不履行法院判决(演示数据)")),
}


def draw_events(rng: np.random.Generator, ent: Enterprises) -> Events:
    """Accidents and 失信 listings on dates the enterprise was active; half the listed are removed
    again six months to two years later, if that falls before the end of the last year."""
    start = np.maximum(ent.registration, np.datetime64(f"{FIRST_YEAR}-01-01"))
    stop = np.minimum(
        np.datetime64(f"{LAST_YEAR}-12-31"),
        (np.minimum(ent.exit_year, LAST_YEAR + 1) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        - np.timedelta64(1, "D"),
    )
    span = np.maximum((stop - start).astype(int), 0)
    years_active = (span + 1) / 365.25
    heavy = np.isin(np.array(profiles.CODES)[ent.industry], list(profiles.HEAVY))
    parts: list[tuple[np.ndarray, str, np.ndarray, np.ndarray]] = []
    for kind, (chance, notes) in EVENT_KINDS.items():
        risk = chance * years_active * (np.where(heavy, 3.0, 1.0) if "accident" in kind else 1.0)
        who = np.flatnonzero(rng.random(ent.count) < risk)
        when = start[who] + (rng.random(len(who)) * (span[who] + 1)).astype("timedelta64[D]")
        parts.append((who, kind, when, np.array(notes)[rng.integers(0, len(notes), len(who))]))
        if kind == "dishonest_listed":
            later = when + rng.integers(180, 730, len(who)).astype("timedelta64[D]")
            removed = (rng.random(len(who)) < 0.5) & (later <= stop[who])
            note = np.full(removed.sum(), "完成信用修复(演示数据)")
            parts.append((who[removed], "dishonest_removed", later[removed], note))
    return Events(
        enterprise=np.concatenate([who for who, _, _, _ in parts]),
        kind=np.concatenate([np.full(len(who), kind) for who, kind, _, _ in parts]),
        date=np.concatenate([when for _, _, when, _ in parts]),
        note=np.concatenate([note for _, _, _, note in parts]),
    )
