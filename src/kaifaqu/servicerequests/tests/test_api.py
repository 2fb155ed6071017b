"""The API: a 12345 system pushes a request (idempotent on its reference) and reads the outcome
and the statistics back."""

import pytest
from rest_framework.test import APIClient

from kaifaqu.audit.models import ObjectChange
from kaifaqu.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def hotline(world):
    client = APIClient()
    client.force_authenticate(world["users"]["dispatcher"])
    return client


def ticket(world, **changes):
    return {
        "category": "utilities", "description": "园区停水三天", "caller_name": "周九",
        "caller_phone": "13600000000", "enterprise": world["textile"].uscc,
        "source": "12345", "external_ref": "GD-20251201-0001", **changes,
    }  # fmt: skip


def test_a_pushed_request_is_registered_once(world, hotline):
    first = hotline.post("/api/v1/service-requests/", ticket(world), format="json")
    assert first.status_code == 201
    body = first.json()
    assert (body["channel"], body["stage"], body["complexity"], body["number"]) == (
        "hotline", "registered", "simple", ServiceRequest.objects.get().item.number,
    )  # fmt: skip
    changes = ObjectChange.objects.count()
    again = hotline.post("/api/v1/service-requests/", ticket(world), format="json")
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert (ServiceRequest.objects.count(), ObjectChange.objects.count()) == (1, changes)
    read = hotline.get(
        "/api/v1/service-requests/", {"source": "12345", "external_ref": "GD-20251201-0001"}
    )
    assert [row["id"] for row in read.json()["results"]] == [body["id"]]


def test_a_push_outside_scope_or_incomplete_is_refused(world, hotline):
    outside = ticket(world, enterprise=world["west"].uscc)
    assert hotline.post("/api/v1/service-requests/", outside, format="json").status_code == 400
    nowhere = ticket(world, enterprise="")
    assert hotline.post("/api/v1/service-requests/", nowhere, format="json").status_code == 400
    firm = APIClient()
    firm.force_authenticate(world["users"]["firm"])
    assert firm.post("/api/v1/service-requests/", ticket(world), format="json").status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_the_statistics_endpoint(world, hotline):
    hotline.post("/api/v1/service-requests/", ticket(world), format="json")
    response = hotline.get(
        "/api/v1/service-requests/statistics/",
        {"start": "2020-01-01", "end": "2035-12-31", "group": "category"},
    )
    assert response.status_code == 200
    rows = response.json()
    assert [(r["key"], r["label"], r["received"], r["closed"]) for r in rows] == [
        ("utilities", "水电气", 1, 0),
        (None, "合计", 1, 0),
    ]
    bad = hotline.get(
        "/api/v1/service-requests/statistics/", {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert bad.status_code == 400
