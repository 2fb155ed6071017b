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
    assert context["zones_by_kind"] == {
        "categories": KINDS,
        "series": [{"name": "开发区数量", "unit": "个", "values": [1, 1, 1]}],
    }


def test_home_of_a_zone_user_counts_only_their_zone(province, zone_client):
    call_command("run_job", "zone_summaries")

    context = zone_client.get("/").context

    assert (context["zone_count"], context["enterprise_count"], context["above_scale_count"]) == (
        1,
        2,
        1,
    )
    assert context["zones_by_kind"]["categories"] == ["国家级经济技术开发区"]


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
