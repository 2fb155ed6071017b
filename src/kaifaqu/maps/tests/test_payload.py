"""The map's JSON: outlines around the user's scope, and only the zones the user may see."""

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from conftest import make_user
from kaifaqu.catalog.models import Region
from kaifaqu.maps.models import Boundary
from kaifaqu.maps.payload import map_region, revenue_map
from kaifaqu.zones.models import ZoneYearSummary

pytestmark = pytest.mark.django_db


def square(lng: float, lat: float, size: float) -> dict[str, Any]:
    ring = [[lng, lat], [lng + size, lat], [lng + size, lat + size], [lng, lat + size], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture
def placed(province: dict[str, Any]) -> dict[str, Any]:
    """The province, its two cities and the east county outlined; zones placed; summaries made."""
    shapes = {
        "990000": square(117.0, 31.0, 2.0),
        "990100": square(118.0, 31.0, 1.0),
        "990200": square(117.0, 31.0, 1.0),
        "990102": square(118.0, 31.0, 0.5),
    }
    for code, shape in shapes.items():
        Boundary.objects.create(region=Region.objects.get(code=code), geometry=shape, source="测试")
    for key, (lng, lat) in {
        "east": (118.2, 31.2),
        "east_htz": (118.6, 31.5),
        "west": (117.5, 31.5),
    }.items():
        zone = province["zones"][key]
        zone.centre_lng, zone.centre_lat = lng, lat
        zone.save()
    call_command("run_job", "zone_summaries")
    return province


def outline_codes(payload: dict[str, Any]) -> list[tuple[str, bool]]:
    return [
        (f["properties"]["code"], f["properties"]["outer"]) for f in payload["outlines"]["features"]
    ]


def test_the_province_analyst_sees_the_province_its_cities_and_every_zone(placed, province_analyst):
    payload = revenue_map(province_analyst)
    assert payload["name"] == "outline-990000"
    assert payload["title"] == "开发区分布与营业收入(2025年)"
    # the province (drawn heavy) and its cities; counties belong to the cities' maps
    assert outline_codes(payload) == [("990000", True), ("990100", False), ("990200", False)]
    assert [(z["name"], z["value"]) for z in payload["zones"]] == [
        ("东城经济技术开发区", 6003.0),
        ("东城高新技术产业开发区", 3001.5),
        ("西城经济开发区", 6003.0),
    ]
    assert payload["metric"] == {"name": "营业收入", "unit": "万元"}
    assert payload["zones"][0] | {"value": None} == {
        "name": "东城经济技术开发区",
        "kind": "国家级经济技术开发区",
        "region": "东城区",
        "lng": 118.2,
        "lat": 31.2,
        "value": None,
        "href": placed["zones"]["east"].get_absolute_url(),
    }


def test_a_zone_user_sees_only_their_zone_on_their_city(placed, zone_user):
    payload = revenue_map(zone_user)
    # the east zone lies in a county of the east city: the map is that city with its counties
    assert map_region(zone_user).code == "990100"
    assert outline_codes(payload) == [("990100", True), ("990102", False)]
    assert [z["name"] for z in payload["zones"]] == ["东城经济技术开发区"]


def test_a_city_user_sees_the_zones_of_that_city_only(placed):
    city_user = make_user("west_city", "city_analyst", region=Region.objects.get(code="990200"))
    payload = revenue_map(city_user)
    assert outline_codes(payload) == [("990200", True)]
    assert [z["name"] for z in payload["zones"]] == ["西城经济开发区"]


def test_money_turns_into_yi_yuan_when_large(placed, province_analyst):
    ZoneYearSummary.objects.filter(zone=placed["zones"]["west"], year=2025).update(
        operating_revenue=Decimal("123456")
    )
    payload = revenue_map(province_analyst)
    assert payload["metric"]["unit"] == "亿元"
    assert [z["value"] for z in payload["zones"]] == [0.6003, 0.3001, 12.3456]  # 0.30015 as a float


def test_the_endpoint_answers_per_role(client, placed, province_analyst, zone_user):
    client.force_login(zone_user)
    own = json.loads(client.get("/maps/scope.json").content)
    client.force_login(province_analyst)
    province = json.loads(client.get("/maps/scope.json").content)
    assert (len(own["zones"]), len(province["zones"])) == (1, 3)
    client.logout()
    assert client.get("/maps/scope.json").status_code == 302  # to the login page


def test_a_zone_without_coordinates_is_counted_not_placed(placed, province_analyst):
    placed["zones"]["west"].centre_lng = None
    placed["zones"]["west"].save()
    payload = revenue_map(province_analyst)
    assert (len(payload["zones"]), payload["unplaced"]) == (2, 1)


def test_the_pages_embed_the_map(placed, analyst_client):
    for url in ("/", "/zones/"):
        page = analyst_client.get(url).content.decode()
        assert '<script id="zone-map" type="application/json">' in page
        assert 'data-map="zone-map"' in page


def test_no_map_card_when_there_is_nothing_to_draw(analyst_client):
    # neither outlines nor zone positions: the page shows no empty frame
    page = analyst_client.get("/").content.decode()
    assert 'data-testid="zone-map"' not in page
