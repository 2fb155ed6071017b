"""Who sees which request: the enterprise its own, a unit's members what is assigned to their
unit, zone staff their zone's, city and province staff their region's."""

from typing import Any

import pytest

from conftest import make_user
from kaifaqu.servicerequests import actions
from kaifaqu.servicerequests.models import ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(world: dict[str, Any]) -> dict[str, ServiceRequest]:
    users, units = world["users"], world["units"]
    textile = actions.file_request(
        category="land", description="扩建用地", acting_user=users["firm"]
    )
    actions.dispatch(textile, lead_unit=units["tax"], acting_user=users["dispatcher"])
    west, _ = actions.register_call(
        category="finance", description="贷款贴息", caller_name="钱七", caller_phone="1",
        enterprise=world["west"], acting_user=users["west"],
    )  # fmt: skip
    return {"textile": textile, "west": west}


def seen(user: Any) -> set[str]:
    visible = set(ServiceRequest.objects.restrict(user).values_list("description", flat=True))
    return {{"扩建用地": "textile", "贷款贴息": "west"}[d] for d in visible}


def test_each_role_sees_its_own_requests(world, requests):
    users = world["users"]
    westerner = make_user("west_firm", "enterprise_user", enterprise=world["west"])
    assert seen(users["firm"]) == {"textile"}
    assert seen(westerner) == {"west"}
    assert seen(users["other_firm"]) == {"west"}  # the same enterprise's other login
    assert seen(users["clerk"]) == {"textile", "west"}  # its unit's work, and its own city
    assert seen(users["land_clerk"]) == {"west"}  # its city only: the land bureau has nothing
    assert seen(users["zone"]) == {"textile"}
    assert seen(users["dispatcher"]) == {"textile"}
    assert seen(users["west"]) == {"west"}
    assert seen(users["province"]) == {"textile", "west"}


def test_pages_show_a_request_only_within_scope(client, world, requests):
    client.force_login(world["users"]["firm"])
    assert client.get(requests["textile"].get_absolute_url()).status_code == 200
    assert client.get(requests["west"].get_absolute_url()).status_code == 404
    listed = client.get("/requests/mine/")
    assert [r.pk for r in listed.context["page"].rows] == [requests["textile"].pk]
    client.force_login(world["users"]["clerk"])
    listed = client.get("/requests/work/")
    assert [r.pk for r in listed.context["page"].rows] == [requests["textile"].pk]
