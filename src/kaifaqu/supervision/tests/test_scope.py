"""Who sees which supervised items and units, per role; the log follows its item."""

from datetime import date

import pytest

from conftest import make_user
from kaifaqu.supervision import actions
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import LogEntry, SupervisedItem
from kaifaqu.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_items(world):
    users, units = world["users"], world["units"]
    west = actions.create_item(
        kind=world["item"].kind, title="西城事项", region=world["zones"]["west"].region,
        level=Level.CITY, opened=date(2025, 11, 3), acting_user=users["west"],
    )  # fmt: skip
    actions.assign(west, lead_unit=units["west_bureau"], acting_user=users["west"])
    east = world["item"]
    enterprise = world["enterprises"]["东城纺织有限公司"]
    users["enterprise"] = make_user("firm", "enterprise_user", enterprise=enterprise)
    users["auditor"] = make_user("auditor", "audit_admin", region=world["province"])
    return {"east": east, "west": west}


def visible(model, user) -> set[str]:
    return {str(row) for row in model.objects.restrict(user)}


def numbers(user) -> set[str]:
    return set(SupervisedItem.objects.restrict(user).values_list("title", flat=True))


def test_items_by_role_and_by_membership(world, two_items):
    users, units = world["users"], world["units"]
    expected = {
        "province": {"企业用电增容审批迟滞", "西城事项"},
        "leader": {"企业用电增容审批迟滞", "西城事项"},
        "east": {"企业用电增容审批迟滞"},
        "west": {"西城事项"},
        "zone": {"企业用电增容审批迟滞"},
        "clerk": {"西城事项"},  # its region's; the east item is not yet its unit's
        "enterprise": set(),
        "auditor": set(),
    }
    for role, titles in expected.items():
        assert numbers(users[role]) == titles, role
    actions.assign(two_items["east"], lead_unit=units["committee"], acting_user=users["east"])
    assert numbers(users["clerk"]) == {"企业用电增容审批迟滞", "西城事项"}
    # a member acts on its unit's item but does not supervise it
    assert (
        not SupervisedItem.objects.supervised_by(users["clerk"])
        .filter(pk=two_items["east"].pk)
        .exists()
    )
    assert set(LogEntry.objects.restrict(users["east"]).values_list("item__title", flat=True)) == {
        "企业用电增容审批迟滞"
    }
    assert LogEntry.objects.restrict(users["enterprise"]).count() == 0


def test_a_supporting_unit_sees_the_item_once(world, two_items):
    users, units = world["users"], world["units"]
    actions.assign(
        two_items["east"], lead_unit=units["east_bureau"],
        supporting_units=[units["committee"], units["west_bureau"]], acting_user=users["province"],
    )  # fmt: skip
    rows = list(SupervisedItem.objects.restrict(users["clerk"]).order_by("title"))
    assert [item.title for item in rows] == ["企业用电增容审批迟滞", "西城事项"]


def test_units_by_role(world, two_items):
    users = world["users"]
    system = make_user("sys", "system_admin", region=world["province"])
    security = make_user("sec", "security_admin", region=world["province"])
    every = {"东城经开区管委会", "东城市商务局", "西城市商务局"}
    assert visible(Unit, system) == every
    assert {str(u) for u in Unit.objects.restrict(system, "change")} == every
    assert visible(Unit, security) == every
    assert Unit.objects.restrict(security, "change").count() == 0
    assert visible(Unit, users["province"]) == every
    assert visible(Unit, users["east"]) == {"东城经开区管委会", "东城市商务局"}
    assert visible(Unit, users["zone"]) == {"东城经开区管委会", "东城市商务局"}
    assert visible(Unit, users["clerk"]) == {"东城经开区管委会", "西城市商务局"}
    assert Unit.objects.restrict(users["province"], "change").count() == 0
    assert visible(Unit, users["enterprise"]) == set()
    assert visible(Unit, users["auditor"]) == set()
