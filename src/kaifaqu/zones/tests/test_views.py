from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaifaqu.catalog.models import Indicator
from kaifaqu.zones.models import ZoneYear
from kaifaqu.zones.views import ZoneListView

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client, province):
    response = client.get(reverse("zones:zone_list"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/zones/"


def test_zone_list_shows_every_zone(analyst_client, province):
    response = analyst_client.get(reverse("zones:zone_list"))
    assert response.status_code == 200
    assert response.context["count"] == 3
    assert [zone.code for zone in response.context["page"].rows] == ["Z001", "Z002", "Z003"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({"kind": "national_htz"}, ["Z002"]),
        ({"q": "西城"}, ["Z003"]),
        ({"q": "Z001"}, ["Z001"]),
        ({"comparison_group": "东部"}, ["Z001", "Z002"]),
    ],
)
def test_zone_list_filters(analyst_client, province, query, codes):
    response = analyst_client.get(reverse("zones:zone_list"), query)
    assert [zone.code for zone in response.context["page"].rows] == codes


def test_city_filter_includes_zones_in_its_counties(analyst_client, province):
    east = province["zones"]["east"].region.parent
    response = analyst_client.get(reverse("zones:zone_list"), {"city": east.pk})
    assert [zone.code for zone in response.context["page"].rows] == ["Z001", "Z002"]


def test_htmx_request_gets_only_the_results_fragment(analyst_client, province):
    response = analyst_client.get(reverse("zones:zone_list"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "东城经济技术开发区" in body
    assert "<html" not in body


def test_zone_page_pivots_yearly_indicators(analyst_client, province):
    zone = province["zones"]["east"]
    gdp = Indicator.objects.get(code="gdp")
    ZoneYear.objects.create(zone=zone, year=2024, indicator=gdp, value=Decimal("120.5"))
    ZoneYear.objects.create(zone=zone, year=2025, indicator=gdp, value=None)
    response = analyst_client.get(zone.get_absolute_url())
    assert response.status_code == 200
    assert response.context["years"] == [2024, 2025]
    assert response.context["indicator_rows"][0]["values"] == [Decimal("120.5"), None]
    assert response.context["enterprise_count"] == 2
    data = response.context["charts"][0]["data"]
    assert (data["categories"], data["series"]) == (
        ["2024", "2025"],
        [{"name": "地区生产总值", "unit": "亿元", "kind": "money", "values": [120.5, None]}],
    )
    assert data["note"] == "空白处为缺失数据"


def test_unknown_zone_is_404(analyst_client, province):
    assert analyst_client.get(reverse("zones:zone", args=[999999])).status_code == 404


def test_zone_list_takes_as_many_queries_on_page_2_as_on_page_1(
    analyst_client, province, monkeypatch
):
    monkeypatch.setattr(ZoneListView, "page_size", 2)
    url = reverse("zones:zone_list")
    analyst_client.get(url)  # the session's first request also settles the second-factor check
    with CaptureQueriesContext(connection) as on_first:
        first = analyst_client.get(url, {"sort": "-name"})
    with CaptureQueriesContext(connection) as on_second:
        second = analyst_client.get(f"{url}?{first.context['page'].next.query}")
    assert [zone.code for zone in second.context["page"].rows] == ["Z001"]
    assert len(on_second) == len(on_first)
