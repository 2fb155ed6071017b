"""An API write leaves the same change-log row as the page write it mirrors.

Both writes run from the same data (each inside a savepoint that is then rolled back); their rows
must agree on everything but the channel ("web" for the page, "api" for the API) and the request id.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Tag

pytestmark = pytest.mark.django_db

NOT_COMPARED = {"id", "time", "request_id", "channel"}


def logged_row(write):
    """Run ``write`` in a savepoint that is rolled back; return its response and its one row."""
    with transaction.atomic():
        response = write()
        (row,) = ObjectChange.objects.all()
        transaction.set_rollback(True)
    fields = {
        field.name: getattr(row, field.attname)
        for field in ObjectChange._meta.concrete_fields
        if field.name not in NOT_COMPARED
    }
    return response, row.channel, fields


def page_form(enterprise, **changes):
    data = {
        "name": enterprise.name,
        "industry": enterprise.industry_id,
        "status": enterprise.status,
        "ownership": enterprise.ownership,
        "exempt_military": "",
        "exempt_utility": "",
        "tags": [tag.pk for tag in enterprise.tags.all()],
    }
    return {key: value for key, value in {**data, **changes}.items() if value not in ("", None)}


def test_api_patch_logs_the_row_of_the_page_edit(province, zone_client, api_zone_client):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    tags = sorted([Tag.objects.get(name="高新技术企业").pk, Tag.objects.get(name="专精特新").pk])
    page_url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])

    page, page_channel, page_row = logged_row(
        lambda: zone_client.post(page_url, page_form(enterprise, status="half_stopped", tags=tags))
    )
    api, api_channel, api_row = logged_row(
        lambda: api_zone_client.patch(
            f"/api/v1/enterprises/{enterprise.pk}/",
            {"status": "half_stopped", "tags": tags},
            format="json",
        )
    )

    assert (page.status_code, api.status_code) == (302, 200)
    assert (page_channel, api_channel) == ("web", "api")
    assert api_row == page_row
    assert (api_row["username"], api_row["role"], api_row["action"]) == (
        "east_staff",
        "zone_analyst",
        "update",
    )
    changed = {k for k in api_row["before"] if api_row["before"][k] != api_row["after"][k]}
    assert changed == {"status", "tags"}
    assert api_row["after"]["tags"] == tags


def test_api_put_logs_the_row_of_the_page_edit(province, province_analyst, client):
    from rest_framework.test import APIClient

    enterprise = province["enterprises"]["西城化工有限公司"]
    client.force_login(province_analyst)
    api_client = APIClient()
    api_client.force_login(province_analyst)
    page_url = reverse("enterprises:enterprise_edit", args=[enterprise.pk])
    current = api_client.get(f"/api/v1/enterprises/{enterprise.pk}/").json()
    full = {k: v for k, v in current.items() if k not in {"id", "province_code"}}

    page, _, page_row = logged_row(
        lambda: client.post(page_url, page_form(enterprise, name="西城化工集团有限公司"))
    )
    api, _, api_row = logged_row(
        lambda: api_client.put(
            f"/api/v1/enterprises/{enterprise.pk}/",
            {**full, "name": "西城化工集团有限公司"},
            format="json",
        )
    )

    assert (page.status_code, api.status_code) == (302, 200)
    assert api_row == page_row
    assert (api_row["before"]["name"], api_row["after"]["name"]) == (
        "西城化工有限公司",
        "西城化工集团有限公司",
    )
    changed = {k for k in api_row["before"] if api_row["before"][k] != api_row["after"][k]}
    assert changed == {"name"}


def test_api_row_shares_the_request_id_and_address_of_its_request(province, zone_user):
    from rest_framework.test import APIClient

    enterprise = province["enterprises"]["东城纺织有限公司"]
    client = APIClient()
    client.force_login(zone_user)

    response = client.patch(
        f"/api/v1/enterprises/{enterprise.pk}/",
        {"status": "stopped"},
        format="json",
        REMOTE_ADDR="10.9.8.7",
    )

    row = ObjectChange.objects.get()
    assert (str(row.request_id), row.ip, row.channel) == (
        response["X-Request-ID"],
        "10.9.8.7",
        "api",
    )


def test_api_create_and_delete_are_logged_with_their_snapshots(province, api_zone_client):
    east = province["zones"]["east"]

    created = api_zone_client.post(
        "/api/v1/enterprise-events/",
        {
            "enterprise": province["enterprises"]["东城纺织有限公司"].pk,
            "kind": "dishonest_listed",
            "date": "2025-03-01",
        },
        format="json",
    )
    deleted = api_zone_client.delete(f"/api/v1/enterprise-events/{created.json()['id']}/")

    assert (created.status_code, deleted.status_code) == (201, 204)
    create, delete = ObjectChange.objects.order_by("id")
    assert (create.action, create.before, delete.action, delete.after) == (
        "create",
        None,
        "delete",
        None,
    )
    assert create.after == delete.before
    assert create.after["kind"] == "dishonest_listed"
    assert create.province_code == east.province_code == "990000"
