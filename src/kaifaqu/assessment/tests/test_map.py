"""The ranking's map: zones placed at their centre or their boundary's middle; a boundary that is
not a GeoJSON polygon is refused when it is entered."""

import json
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from kaifaqu.assessment.actions import start_run
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

SQUARE = [[[118.0, 32.0], [118.1, 32.0], [118.1, 32.1], [118.0, 32.1], [118.0, 32.0]]]
NOT_A_POLYGON = "须为 GeoJSON 的 Polygon 或 MultiPolygon"
HOLE = [[118.02, 32.02], [118.04, 32.02], [118.04, 32.04], [118.02, 32.02]]


def page_map(page: str) -> dict[str, Any]:
    """The map's JSON embedded in a page."""
    found = re.search(r'<script id="zone-map" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


def test_the_run_map_places_zones_at_their_centre_or_their_boundary(
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
    drawn = page_map(page)
    # then each zone sits at its centre, or the middle of its outer rings, coloured by its score
    assert drawn["metric"] == {"name": "综合得分", "unit": "分"}
    at = {z["name"]: (z["lng"], z["lat"], z["value"]) for z in drawn["zones"]}
    assert at == {
        "东城经济技术开发区": (118.05, 32.05, at["东城经济技术开发区"][2]),
        "东城高新技术产业开发区": (118.18571, 32.17143, 65.0),  # mean of 7 outer vertices
        "西城经济开发区": (118.2, 31.9, at["西城经济开发区"][2]),
    }
    assert drawn["zones"][0]["href"] == zones["east"].get_absolute_url()


def test_a_stored_boundary_that_predates_the_validator_is_placed_at_the_zone_centre(
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
    assert [(z["lng"], z["lat"]) for z in page_map(page)["zones"]] == [(118.05, 32.05)]


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
