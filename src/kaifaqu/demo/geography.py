"""The synthetic province's map: divisions (fixed) and development zones (drawn from the seed).

The province code 99 is not used by GB/T 2260, so the demo can never be mistaken for, or collide
with, real divisions; its name says it is synthetic. County codes follow the standard's habit:
01–20 districts (区), 21–80 counties (县), 81–99 county-level cities (市).
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.catalog.models import Region
from kaifaqu.demo import profiles

PROVINCE_CODE = "990000"
PROVINCE_NAME = "示范省(合成数据)"

# (city, its counties); the first two counties become districts, the third a county, the fourth a
# county-level city. Invented names; the province is laid out as 4 rows × 3 columns of cities.
CITIES: tuple[tuple[str, tuple[str, str, str, str]], ...] = (
    ("云澜", ("澜湾", "云岫", "石楠", "栖霞岭")),
    ("青溪", ("溪口", "青杉", "白鹭", "望岳")),
    ("鹤川", ("鹤鸣", "川东", "松阳坪", "临皋")),
    ("澄原", ("澄海湾", "原野", "苇塘", "丰禾")),
    ("松屿", ("屿北", "松涛", "渔港", "潮音")),
    ("霁州", ("霁月", "州桥", "杏坛", "槐里")),
    ("枫港", ("枫林", "港城", "沙洲", "凌波")),
    ("栖桐", ("桐华", "栖凤", "杉溪", "梓乡")),
    ("岚溪", ("岚谷", "溪山", "茶岭", "竹源")),
    ("南屏", ("屏山", "南浦", "蒲塘", "莲乡")),
    ("北辰", ("辰光", "北郊", "星野", "金川口")),
    ("明澈", ("明湖", "澈泉", "柳浪", "荻港")),
)
COUNTY_SUFFIXES = ("区", "区", "县", "市")
COUNTY_NUMBERS = ("02", "03", "21", "81")
KM_PER_DEGREE_LATITUDE = 111.32
# Comparison groups are data on the zone; here, the province's three columns of cities.
GROUPS = ("西部", "中部", "东部")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    short_name: str  # without 市/区/县, as zone names use it
    level: str
    parent_code: str | None
    lng: float
    lat: float
    group: str


@dataclass
class ZonePlan:
    code: str
    name: str
    kind: str
    region_code: str
    group: str
    approval_date: date
    area_km2: float
    leading: tuple[str, ...]
    lng: float
    lat: float
    density: float = field(default=1.0)  # enterprises per km², relative


def divisions() -> list[Division]:
    """Province, cities and counties, parents before children."""
    rows = [Division(PROVINCE_CODE, PROVINCE_NAME, "示范", "province", None, 118.5, 30.2, "")]
    for number, (city, counties) in enumerate(CITIES, start=1):
        row, col = divmod(number - 1, 3)
        lng, lat = 116.6 + 1.6 * col, 32.4 - 1.4 * row
        city_code = f"99{number:02d}00"
        rows.append(
            Division(city_code, city + "市", city, "city", PROVINCE_CODE, lng, lat, GROUPS[col])
        )
        for k, (county, suffix, digits) in enumerate(
            zip(counties, COUNTY_SUFFIXES, COUNTY_NUMBERS, strict=True)
        ):
            dlng, dlat = ((0.05, 0.03), (-0.12, 0.1), (0.35, -0.3), (-0.4, -0.25))[k]
            rows.append(
                Division(
                    Region.code_prefix_of(city_code, RegionLevel.CITY) + digits,
                    county + suffix,
                    county,
                    "county",
                    city_code,
                    round(lng + dlng, 4),
                    round(lat + dlat, 4),
                    GROUPS[col],
                )
            )
    return rows


# kind → (how many, code prefix, name pattern, approval years, area km², density, leading weights)
ZONE_KINDS: dict[str, tuple[int, str, str, tuple[int, int], tuple[float, float], float]] = {
    "national_etdz": (4, "G991", "{city}经济技术开发区", (1992, 2013), (12.0, 45.0), 1.1),
    "national_htz": (4, "G992", "{city}高新技术产业开发区", (1997, 2015), (8.0, 35.0), 1.1),
    "customs_special": (3, "G993", "{city}综合保税区", (2012, 2021), (0.8, 5.0), 4.0),
    "provincial_edz": (17, "S991", "{county}经济开发区", (1993, 2006), (3.0, 15.0), 1.0),
    "provincial_htz": (6, "S992", "{county}高新技术产业开发区", (2006, 2020), (2.5, 10.0), 1.1),
    "other": (2, "S995", "{county}工业园区", (2008, 2018), (2.0, 8.0), 0.9),
}

# Leading industries by zone kind: which 大类 each kind of zone tends to court.
KIND_FAVOURITES: dict[str, tuple[str, ...]] = {
    "national_etdz": ("34", "36", "38", "26", "33", "35"),
    "national_htz": ("27", "35", "38", "39", "40"),
    "customs_special": ("39", "38", "40", "18"),
    "provincial_edz": (),
    "provincial_htz": ("27", "35", "39", "40", "38"),
    "other": ("30", "33", "31", "26", "25", "32"),
}


def plan_zones(rng: np.random.Generator) -> list[ZonePlan]:
    """Thirty-six zones of all six kinds: national ones in cities, provincial ones in counties."""
    cities = [row for row in divisions() if row.level == "city"]
    counties = [row for row in divisions() if row.level == "county"]
    county_order = rng.permutation(len(counties))
    next_county = 0
    plans: list[ZonePlan] = []
    for kind, (count, prefix, pattern, years, area, density) in ZONE_KINDS.items():
        if "{city}" in pattern:
            hosts = [cities[i] for i in rng.choice(len(cities), size=count, replace=False)]
            # A city's zone sits in its central district (the county coded xx02).
            regions = [Region.code_prefix_of(host.code, RegionLevel.CITY) + "02" for host in hosts]
        else:
            hosts = [counties[i] for i in county_order[next_county : next_county + count]]
            next_county += count
            regions = [host.code for host in hosts]
        for serial, (host, region) in enumerate(zip(hosts, regions, strict=True), start=1):
            plans.append(_zone(rng, kind, prefix, serial, pattern, host, region, years, area))
            plans[-1].density = density
    return plans


def _zone(
    rng: np.random.Generator,
    kind: str,
    prefix: str,
    serial: int,
    pattern: str,
    host: Division,
    region_code: str,
    years: tuple[int, int],
    area: tuple[float, float],
) -> ZonePlan:
    approval = date(int(rng.integers(years[0], years[1] + 1)), 1, 1) + timedelta(
        days=int(rng.integers(0, 365))
    )
    return ZonePlan(
        code=f"{prefix}{serial:03d}",
        name=pattern.format(city=host.short_name, county=host.short_name),
        kind=kind,
        region_code=region_code,
        group=host.group,
        approval_date=approval,
        area_km2=round(float(rng.uniform(*area)), 2),
        leading=_leading_industries(rng, kind),
        lng=round(host.lng + float(rng.normal(0, 0.04)), 5),
        lat=round(host.lat + float(rng.normal(0, 0.04)), 5),
    )


def _leading_industries(rng: np.random.Generator, kind: str) -> tuple[str, ...]:
    """Two to four manufacturing 大类, the kind's favourites weighted up."""
    codes = profiles.MANUFACTURING
    weights = np.array([profiles.PROFILES[profiles.CODES.index(code)].weight for code in codes])
    favourites = KIND_FAVOURITES[kind]
    weights = weights * np.array([6.0 if code in favourites else 1.0 for code in codes])
    how_many = int(rng.integers(2, 5))
    chosen = rng.choice(len(codes), size=how_many, replace=False, p=weights / weights.sum())
    return tuple(sorted(codes[i] for i in chosen))


def hexagon(lng: float, lat: float, area_km2: float) -> dict[str, Any]:
    """A regular hexagon of the zone's approved area around its centre, as GeoJSON: a stand-in
    四至范围 so that the assessment map draws the demo zones as shapes."""
    radius = math.sqrt(2 * area_km2 / (3 * math.sqrt(3)))  # km: a hexagon's area is 3√3/2 · r²
    dlat = radius / KM_PER_DEGREE_LATITUDE
    dlng = dlat / math.cos(math.radians(lat))
    ring = [
        [round(lng + dlng * math.cos(k * math.pi / 3), 5),
         round(lat + dlat * math.sin(k * math.pi / 3), 5)]
        for k in range(6)
    ]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


# The province's outline: a rounded rectangle around its cities (a superellipse), its edge made
# irregular by two fixed waves, so the shape is the same on every run without drawing from the seed.
OUTLINE_CENTRE = (118.2, 30.3)
OUTLINE_RADII = (2.45, 2.95)  # degrees of longitude, latitude
OUTLINE_POINTS = 72
OUTLINE_SOURCE = "合成数据(演示省份按市县驻地划分生成)"
Point = tuple[float, float]


def province_outline() -> list[Point]:
    """The province's boundary ring, counter-clockwise, not closed."""
    ring = []
    for k in range(OUTLINE_POINTS):
        theta = 2 * math.pi * k / OUTLINE_POINTS
        wave = 1 + 0.045 * math.sin(3 * theta + 0.7) + 0.025 * math.sin(7 * theta + 2.1)
        c, s = math.cos(theta), math.sin(theta)
        # A superellipse of exponent 4: |x|^4 + |y|^4 = 1, squarer than an ellipse.
        x = math.copysign(abs(c) ** 0.5, c) * OUTLINE_RADII[0] * wave
        y = math.copysign(abs(s) ** 0.5, s) * OUTLINE_RADII[1] * wave
        ring.append((OUTLINE_CENTRE[0] + x, OUTLINE_CENTRE[1] + y))
    return ring


def _clip(ring: list[Point], seed: Point, other: Point) -> list[Point]:
    """The part of ``ring`` nearer to ``seed`` than to ``other`` (Sutherland–Hodgman against the
    perpendicular bisector of the two)."""
    mx, my = (seed[0] + other[0]) / 2, (seed[1] + other[1]) / 2
    dx, dy = other[0] - seed[0], other[1] - seed[1]

    def side(p: Point) -> float:
        return (p[0] - mx) * dx + (p[1] - my) * dy  # ≤ 0 on the seed's side

    kept: list[Point] = []
    for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
        sa, sb = side(a), side(b)
        if sa <= 0:
            kept.append(a)
        if (sa < 0 < sb) or (sb < 0 < sa):
            t = sa / (sa - sb)
            kept.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
    return kept


def voronoi_cells(ring: list[Point], seeds: list[Point]) -> list[list[Point]]:
    """``ring`` divided among ``seeds``: each seed gets the part nearer to it than to any other."""
    cells = []
    for i, seed in enumerate(seeds):
        cell = ring
        for j, other in enumerate(seeds):
            if i != j:
                cell = _clip(cell, seed, other)
        cells.append(cell)
    return cells


def _polygon(ring: list[Point]) -> dict[str, Any]:
    closed = [[round(x, 4), round(y, 4)] for x, y in ring]
    return {"type": "Polygon", "coordinates": [[*closed, closed[0]]]}


def outlines() -> dict[str, dict[str, Any]]:
    """Every division's outline as a GeoJSON Polygon, by division code: the province, its
    cities (the province divided among the city seats) and their counties (each city divided
    among its county seats)."""
    rows = divisions()
    province = province_outline()
    shapes = {PROVINCE_CODE: _polygon(province)}
    cities = [d for d in rows if d.level == "city"]
    for city, cell in zip(
        cities, voronoi_cells(province, [(c.lng, c.lat) for c in cities]), strict=True
    ):
        shapes[city.code] = _polygon(cell)
        counties = [d for d in rows if d.parent_code == city.code]
        for county, part in zip(
            counties, voronoi_cells(cell, [(c.lng, c.lat) for c in counties]), strict=True
        ):
            shapes[county.code] = _polygon(part)
    return shapes
