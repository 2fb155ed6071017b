"""The ranking's map: zones drawn from their own boundaries, centre points as the fallback; a
boundary that is not a GeoJSON polygon is refused when it is entered."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from kaifaqu.assessment.actions import start_run
from kaifaqu.assessment.svg import MapZone, zone_map
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

SQUARE = [[[118.0, 32.0], [118.1, 32.0], [118.1, 32.1], [118.0, 32.1], [118.0, 32.0]]]
NOT_A_POLYGON = "须为 GeoJSON 的 Polygon 或 MultiPolygon"
HOLE = [[118.02, 32.02], [118.04, 32.02], [118.04, 32.04], [118.02, 32.02]]


def shapes(svg: str) -> dict[str, str]:
    """Zone code → the SVG element drawing it (path or circle)."""
    return {code: tag for tag, code in re.findall(r"<(path|circle) data-zone='([^']+)'", svg)}


def test_the_run_map_draws_boundaries_and_falls_back_to_centre_points(
    analyst_client, zones, province_analyst
):
    # given a polygon (with a hole) for east, two polygons for east_htz, a centre only for west
    zones["east"].boundary = {"type": "Polygon", "coordinates": [SQUARE[0], HOLE]}
    zones["east_htz"].boundary = {
        "type": "MultiPolygon",
        "coordinates": [SQUARE, [[[118.3, 32.3], [118.4, 32.3], [118.4, 32.4], [118.3, 32.3]]]],
    }
    zones["west"].centre_lng, zones["west"].centre_lat = 118.2, 31.9
    for zone in zones.values():
        zone.full_clean()
        zone.save()
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    # when the ranking page is drawn
    page = analyst_client.get(reverse("assessment:run", args=[run.pk])).content.decode()
    svg = page[page.index('data-testid="zone-map"') :]
    # then each zone is a shape of its own kind, linked to its profile
    assert shapes(svg) == {"Z001": "path", "Z002": "path", "Z003": "circle"}
    east = re.search(r"<path data-zone='Z001'[^>]* d='([^']+)'", svg).group(1)
    assert east.count("M") == 2  # the outer ring and the hole
    z002 = re.search(r"<path data-zone='Z002'[^>]* d='([^']+)'", svg).group(1)
    assert z002.count("M") == 2  # two polygons
    profile = reverse("assessment:profile", args=[run.pk, zones["west"].pk])
    assert f"<a href='{profile}'><circle data-zone='Z003'" in svg
    assert "<title>东城高新技术产业开发区 综合得分 65.00 名次 1</title>" in svg


def test_a_zone_without_coordinates_is_left_off():
    svg = zone_map(
        [
            MapZone("A", "甲", 60, 1, centre=(118.0, 32.0)),
            MapZone("B", "乙", 50, 2),
        ]
    )
    assert shapes(svg) == {"A": "circle"}
    # a lone point sits in the middle of the frame
    assert "cx='320.0' cy='220.0'" in svg
    assert zone_map([MapZone("B", "乙", 50, 2)]) == ""


def test_a_stored_boundary_that_predates_the_validator_is_drawn_as_its_centre(
    analyst_client, zones, province_analyst
):
    # given a broken boundary written around validation (as a bulk load would)
    Zone.objects.filter(pk=zones["east"].pk).update(
        boundary={"type": "Polygon", "coordinates": [[[118.0, 32.0], [118.1, 32.0]]]},
        centre_lng=118.05,
        centre_lat=32.05,
    )
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    page = analyst_client.get(reverse("assessment:run", args=[run.pk])).content.decode()
    assert shapes(page) == {"Z001": "circle"}


@pytest.mark.parametrize(
    ("boundary", "message"),
    [
        ({"type": "Point", "coordinates": [118.0, 32.0]}, NOT_A_POLYGON),
        ("118.0,32.0", NOT_A_POLYGON),
        ({"type": "Polygon"}, "缺少坐标"),
        ({"type": "Polygon", "coordinates": [SQUARE[0][:3]]}, "须至少有4个坐标点"),
        ({"type": "Polygon", "coordinates": [SQUARE[0][:4]]}, "未闭合"),
        ({"type": "Polygon", "coordinates": [[["118", "32"]] * 4]}, "有无效坐标"),
        ({"type": "MultiPolygon", "coordinates": [SQUARE, [[[1, 95]] * 4]]},
         "第2个多边形的坐标 [1, 95] 超出"),
    ],
)  # fmt: skip
def test_a_malformed_boundary_is_refused_with_a_clear_message(zones, boundary, message):
    zone = zones["east"]
    zone.boundary = boundary
    with pytest.raises(ValidationError) as refused:
        zone.full_clean()
    assert message in refused.value.message_dict["boundary"][0]


def test_the_api_refuses_a_malformed_boundary_and_changes_nothing(province_analyst, zones):
    client = APIClient()
    client.force_login(province_analyst)
    before = ObjectChange.objects.count()
    unclosed = {"type": "Polygon", "coordinates": [SQUARE[0][:4]]}
    response = client.patch(
        f"/api/v1/zones/{zones['east'].pk}/", {"boundary": unclosed}, format="json"
    )
    assert response.status_code == 400
    assert "未闭合" in str(response.json())
    zones["east"].refresh_from_db()
    assert zones["east"].boundary is None
    assert ObjectChange.objects.count() == before
    # and a well-formed one is taken
    good = {"type": "Polygon", "coordinates": SQUARE}
    response = client.patch(f"/api/v1/zones/{zones['east'].pk}/", {"boundary": good}, format="json")
    assert response.status_code == 200
    zones["east"].refresh_from_db()
    assert zones["east"].boundary == good
