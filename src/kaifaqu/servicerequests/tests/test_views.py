"""The portal, the desk and the transition buttons through the pages: a refused button shows a
message and changes nothing."""

import pytest
from django.utils import timezone

from kaifaqu.audit.models import ObjectChange
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.workdays.days import add_working_days

pytestmark = pytest.mark.django_db


def test_an_enterprise_files_and_rates_in_its_portal(client, world):
    users, units = world["users"], world["units"]
    client.force_login(users["firm"])
    page = client.get("/requests/mine/")
    assert "提交诉求" in page.content.decode()
    response = client.post(
        "/requests/mine/new/", {"category": "approval", "description": "环评审批进度查询"}
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == request.get_absolute_url()
    assert (request.channel, request.complexity, request.enterprise) == (
        "portal", "normal", world["textile"],
    )  # fmt: skip
    client.force_login(users["dispatcher"])
    detail = client.get(request.get_absolute_url())
    assert detail.context["may_dispatch"]
    client.post(
        f"/requests/{request.pk}/dispatch/",
        {"lead_unit": units["tax"].pk, "complexity": "simple", "note": ""},
    )
    client.force_login(users["clerk"])
    detail = client.get(request.get_absolute_url())
    assert detail.context["may_accept"]
    # to be signed for within 1 working day (RequestRules) of the dispatch
    assert detail.context["accept_by"] == add_working_days(timezone.localdate(), 1)
    client.post(f"/requests/{request.pk}/accept/")
    client.post(f"/requests/{request.pk}/reply/", {"note": "已加快审批"})
    client.force_login(users["firm"])
    detail = client.get(request.get_absolute_url())
    assert detail.context["may_rate"]
    assert "已加快审批" in detail.content.decode()
    assert detail.context["log"] is None  # the enterprise does not read the 督办 log
    client.post(f"/requests/{request.pk}/rate/", {"rating": "fairly", "note": ""})
    request.refresh_from_db()
    assert (request.rating, request.item.state) == ("fairly", "done")


def test_a_refused_button_shows_why_and_changes_nothing(client, world):
    users, units = world["users"], world["units"]
    client.force_login(users["firm"])
    client.post("/requests/mine/new/", {"category": "land", "description": "用地"})
    request = ServiceRequest.objects.get()
    client.force_login(users["dispatcher"])
    client.post(
        f"/requests/{request.pk}/dispatch/",
        {
            "lead_unit": units["land"].pk,
            "supporting_units": [units["tax"].pk],
            "complexity": "complex",
        },
    )
    before = ObjectChange.objects.count()
    client.force_login(users["clerk"])  # a member of a supporting unit, not of the lead
    response = client.post(f"/requests/{request.pk}/accept/", follow=True)
    assert "只有牵头单位「东城市自然资源局」的成员可以签收" in response.content.decode()
    client.force_login(users["other_firm"])  # someone else's request: not even found
    assert client.post(f"/requests/{request.pk}/rate/", {"rating": "satisfied"}).status_code == 404
    assert ObjectChange.objects.count() == before


def test_the_hotline_desk_registers_a_call_and_exports(client, world):
    client.force_login(world["users"]["dispatcher"])
    response = client.post(
        "/requests/hotline/new/",
        {
            "category": "labour", "description": "招工难", "caller_name": "孙八",
            "caller_phone": "13700000000", "enterprise": world["textile"].uscc, "zone": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    request = ServiceRequest.objects.get()
    assert (request.channel, request.caller_name, request.zone) == (
        "hotline", "孙八", world["zones"]["east"],
    )  # fmt: skip
    export = client.get("/requests/", {"export": "xlsx", "channel": "hotline"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_an_enterprise_cannot_open_the_desk_forms(client, world):
    client.force_login(world["users"]["firm"])
    assert client.get("/requests/hotline/new/").status_code == 403
    client.force_login(world["users"]["dispatcher"])
    assert client.get("/requests/mine/new/").status_code == 403
