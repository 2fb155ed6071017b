from decimal import Decimal

from django.core.management import call_command

from conftest import make_user

KINDS = ["国家级经济技术开发区", "国家级高新技术产业开发区", "省级经济开发区"]


def test_home_sums_the_latest_year_of_the_province(analyst_client):
    # Given the summaries of the province's three zones (five enterprises, 2024 and 2025)
    call_command("run_job", "zone_summaries")
    # When the province analyst opens the home page
    response = analyst_client.get("/")
    # Then it shows 2025's totals over every zone, in the unit their size calls for
    assert response.status_code == 200
    context = response.context
    assert (context["latest_year"], context["zone_count"]) == (2025, 3)
    assert (context["enterprise_count"], context["above_scale_count"]) == (5, 3)
    assert (context["revenue"], context["tax"]) == (Decimal("15007.5"), Decimal("441.25"))
    assert '1.50<span class="unit">亿元</span>' in response.text
    assert '441.25<span class="unit">万元</span>' in response.text
    charts = {c["id"]: c["data"] for c in context["charts"]}
    assert list(charts) == ["trend-money", "trend-enterprises", "zones-by-kind", "revenue-by-zone"]
    assert charts["zones-by-kind"]["categories"] == KINDS
    assert charts["zones-by-kind"]["series"][0]["values"] == [1, 1, 1]
    # Above 10,000 万元 the money reads in 亿元; counts start at zero
    assert charts["trend-money"]["series"][0] == {
        "name": "营业收入",
        "unit": "亿元",
        "kind": "money",
        "values": [1.0005, 1.5008],
    }
    assert charts["trend-enterprises"]["axes"][0]["min"] == 0
    assert charts["revenue-by-zone"]["categories"] == [
        "东城经济技术开发区",
        "西城经济开发区",
        "东城高新技术产业开发区",
    ]
    assert charts["revenue-by-zone"]["layout"]["orientation"] == "horizontal"


def test_home_of_a_zone_user_counts_only_their_zone(province, zone_client):
    call_command("run_job", "zone_summaries")

    context = zone_client.get("/").context

    assert (context["zone_count"], context["enterprise_count"], context["above_scale_count"]) == (
        1,
        2,
        1,
    )
    # One zone: no comparison of one bar, but the zone's own trend in 万元 over the years
    charts = {c["id"]: c["data"] for c in context["charts"]}
    assert list(charts) == ["trend-money", "trend-enterprises"]
    assert charts["trend-money"]["categories"] == ["2024", "2025"]
    assert charts["trend-money"]["series"][0]["values"] == [4002.0, 6003.0]
    assert charts["trend-money"]["series"][0]["unit"] == "万元"
    assert charts["trend-enterprises"]["series"][0]["values"] == [2, 2]


def test_home_without_summaries_shows_missing_figures(analyst_client):
    context = analyst_client.get("/").context

    assert (context["latest_year"], context["enterprise_count"], context["revenue"]) == (
        None,
        None,
        None,
    )
    assert context["zone_count"] == 3


def test_the_audit_administrator_lands_on_the_audit_console(client, province):
    client.force_login(make_user("auditor", "audit_admin", region=province["province"]))

    response = client.get("/")

    assert (response.status_code, response["Location"]) == (302, "/audit/")
