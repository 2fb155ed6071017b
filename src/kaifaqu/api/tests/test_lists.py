"""Lists: keyset pages, ordering, filters; and every field of every registry model is served."""

import pytest

from kaifaqu.api.urls import router
from kaifaqu.catalog.models import Industry

pytestmark = pytest.mark.django_db


def walk(client, url):
    """Follow ``next`` links from ``url``; return the ids of every page."""
    pages = []
    while url:
        body = client.get(url).json()
        pages.append([row["id"] for row in body["results"]])
        url = body["next"]
    return pages


def test_pages_cover_the_list_once_in_key_order(api_analyst_client, province):
    pages = walk(api_analyst_client, "/api/v1/enterprise-years/?limit=4")

    ids = [i for page in pages for i in page]
    assert [len(page) for page in pages] == [4, 4, 2]
    assert ids == sorted(ids)
    assert len(set(ids)) == 10


def test_previous_link_leads_back_to_the_same_page(api_analyst_client, province):
    first = api_analyst_client.get("/api/v1/enterprise-years/?limit=4").json()
    second = api_analyst_client.get(first["next"]).json()
    back = api_analyst_client.get(second["previous"]).json()

    assert first["previous"] is None
    assert back["results"] == first["results"]
    assert first["count"] == second["count"] == 10


def test_ordering_by_an_allowed_field_pages_in_that_order(api_analyst_client, province):
    pages = walk(api_analyst_client, "/api/v1/enterprises/?ordering=-name&limit=2")

    names = [
        api_analyst_client.get(f"/api/v1/enterprises/{i}/").json()["name"]
        for page in pages
        for i in page
    ]
    assert names == sorted(names, reverse=True)
    assert len(names) == 5


def test_the_page_size_is_capped(api_analyst_client, province, settings):
    from kaifaqu.api.pagination import KeysetPagination

    response = api_analyst_client.get("/api/v1/industries/?limit=100000")

    assert KeysetPagination.max_page_size == 1000
    assert len(response.json()["results"]) == min(Industry.objects.count(), 1000)


def test_filters_of_the_pages_work_on_the_api(api_analyst_client, province):
    by_status = api_analyst_client.get("/api/v1/enterprises/?status=stopped").json()
    by_kind = api_analyst_client.get("/api/v1/zones/?kind=national_htz").json()
    by_text = api_analyst_client.get("/api/v1/enterprises/?q=化工").json()

    assert [row["name"] for row in by_status["results"]] == ["高新电子有限公司"]
    assert [row["code"] for row in by_kind["results"]] == ["Z002"]
    assert by_text["count"] == 2


def test_yearly_rows_filter_by_uscc_and_year(api_analyst_client, province):
    enterprise = province["enterprises"]["西城化工有限公司"]

    response = api_analyst_client.get(
        f"/api/v1/enterprise-years/?uscc={enterprise.uscc}&year__gte=2025"
    )

    assert [(row["enterprise"], row["year"]) for row in response.json()["results"]] == [
        (enterprise.pk, 2025)
    ]


def test_a_filter_cannot_reach_outside_the_scope(api_zone_client, province):
    west = province["zones"]["west"]

    by_code = api_zone_client.get("/api/v1/zones/?q=Z003").json()
    by_region = api_zone_client.get(f"/api/v1/zones/?city={west.region_id}").json()

    assert (by_code["count"], by_region["count"]) == (0, 0)


def test_every_model_field_is_served():
    """Each field, unless its serializer says why it is withheld (derived fields may be added)."""
    for _, viewset, basename in router.registry:
        model = viewset.queryset.model
        names = {field.name for field in model._meta.concrete_fields}
        names |= {field.name for field in model._meta.many_to_many}
        withheld = getattr(viewset.serializer_class, "withheld", {})
        assert names - set(viewset.serializer_class.Meta.fields) == set(withheld), basename


def test_province_code_is_derived_never_accepted(api_analyst_client, province):
    east = province["zones"]["east"]

    changes = {"province_code": "980000", "name": "东城经开区"}

    response = api_analyst_client.patch(f"/api/v1/zones/{east.pk}/", changes, format="json")

    assert response.status_code == 200
    assert (response.json()["province_code"], response.json()["name"]) == ("990000", "东城经开区")
