"""The demo province's outlines: the province divided among its cities, each city among its
counties, the same on every run, stored for the maps."""

import itertools

import pytest

from kaifaqu.demo import geography
from kaifaqu.demo.generator import PROVINCE, generate
from kaifaqu.maps.models import Boundary
from kaifaqu.zones.models import Zone
from kaifaqu.zones.validators import polygons

Ring = list[tuple[float, float]]


def area(ring: Ring) -> float:
    """The shoelace formula, in square degrees."""
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))) / 2


def inside(point: tuple[float, float], ring: Ring) -> bool:
    """Ray casting: whether ``point`` lies inside the closed ``ring``."""
    x, y = point
    crossings = 0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


def test_the_cities_and_counties_partition_the_province():
    shapes = {code: polygons(shape)[0][0] for code, shape in geography.outlines().items()}
    rows = geography.divisions()
    assert set(shapes) == {d.code for d in rows}
    cities = [d for d in rows if d.level == "city"]
    province = area(shapes[PROVINCE])
    # the cities' areas add up to the province's (to rounding of the coordinates)
    assert sum(area(shapes[c.code]) for c in cities) == pytest.approx(province, rel=1e-4)
    for city in cities:
        counties = [d for d in rows if d.parent_code == city.code]
        assert sum(area(shapes[c.code]) for c in counties) == pytest.approx(
            area(shapes[city.code]), rel=1e-4
        )
        # every seat lies in its own division
        assert inside((city.lng, city.lat), shapes[city.code])
        assert all(inside((c.lng, c.lat), shapes[c.code]) for c in counties)


def test_the_outlines_are_the_same_on_every_run():
    assert geography.outlines() == geography.outlines()


@pytest.mark.demo_build
@pytest.mark.django_db
def test_the_demo_stores_them_and_every_zone_lies_in_the_province():
    generate(seed=7, enterprises=50)
    stored = dict(
        Boundary.objects.filter(region__province_code=PROVINCE).values_list(
            "region__code", "geometry"
        )
    )
    assert stored == geography.outlines()
    province = polygons(stored[PROVINCE])[0][0]
    for lng, lat in Zone.objects.filter(province_code=PROVINCE).values_list(
        "centre_lng", "centre_lat"
    ):
        assert inside((lng, lat), province)
    # and a reset leaves no outline behind twice
    generate(seed=7, enterprises=50, reset=True)
    assert Boundary.objects.filter(region__province_code=PROVINCE).count() == len(stored)
