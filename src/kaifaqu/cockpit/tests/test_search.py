"""The header's search: zones and enterprises on one page, as their lists find them, in scope."""

import pytest
from django.urls import reverse

from conftest import make_user

pytestmark = pytest.mark.django_db


def found(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return {part["title"]: [row.name for row in part["rows"]] for part in response.context["parts"]}


def test_a_name_finds_zones_and_enterprises_on_one_page(analyst_client):
    assert found(analyst_client, "西城") == {
        "开发区": ["西城经济开发区"],
        "企业": ["西城化工有限公司", "西城纺织有限公司"],
    }


def test_a_credit_code_finds_its_enterprise_and_a_code_its_zone(analyst_client, usccs):
    assert found(analyst_client, usccs["高新电子有限公司"]) == {
        "开发区": [],
        "企业": ["高新电子有限公司"],
    }
    assert found(analyst_client, "z003") == {"开发区": ["西城经济开发区"], "企业": []}


def test_a_zone_user_finds_only_its_own_zone(zone_client):
    assert found(zone_client, "城") == {
        "开发区": ["东城经济技术开发区"],
        "企业": ["东城纺织有限公司", "东城化工股份有限公司"],
    }


def test_more_than_are_shown_links_to_the_whole_filtered_list(analyst_client, monkeypatch):
    monkeypatch.setattr("kaifaqu.cockpit.views.SEARCH_SHOWN", 1)
    page = analyst_client.get(reverse("search"), {"q": "有限公司"}).content.decode()
    link = "/enterprises/?q=%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B8"
    assert f'<a class="button secondary" href="{link}">查看全部 5 个</a>' in page


def test_the_header_offers_the_box_to_business_roles_only(client, province, analyst_client):
    assert 'data-testid="search-box"' in analyst_client.get(reverse("zones:zone_list")).text
    client.force_login(make_user("aud", "audit_admin", region=province["province"]))
    assert 'data-testid="search-box"' not in client.get(reverse("audit:console")).text
    assert client.get(reverse("search"), {"q": "西城"}).status_code == 403
