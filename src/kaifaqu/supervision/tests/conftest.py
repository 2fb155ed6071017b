"""A small supervised world on the shared test province: units, a supervisor per city, and a
clerk who sees the east committee's work only as its member."""

from datetime import date
from typing import Any

import pytest

from conftest import make_user
from kaifaqu.supervision.actions import create_item
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import ItemKind
from kaifaqu.units.models import Membership, Unit


@pytest.fixture
def world(province: dict[str, Any]) -> dict[str, Any]:
    zones = province["zones"]
    east_city, west_city = zones["east"].region.parent, zones["west"].region
    units = {
        "committee": Unit.objects.create(
            name="东城经开区管委会", kind="zone_committee", region=zones["east"].region,
            zone=zones["east"],
        ),
        "east_bureau": Unit.objects.create(name="东城市商务局", kind="bureau", region=east_city),
        "west_bureau": Unit.objects.create(name="西城市商务局", kind="bureau", region=west_city),
    }  # fmt: skip
    users = {
        "province": make_user("prov", "province_analyst", region=province["province"]),
        "east": make_user("east_sup", "city_analyst", region=east_city),
        "west": make_user("west_sup", "city_analyst", region=west_city),
        "clerk": make_user("clerk", "city_analyst", region=west_city),
        "zone": make_user("zone_staff", "zone_analyst", zones=(zones["east"],)),
        "leader": make_user("leader", "leadership", region=province["province"]),
    }
    Membership.objects.create(unit=units["committee"], user=users["clerk"])
    Membership.objects.create(unit=units["west_bureau"], user=users["west"])
    item = create_item(
        kind=ItemKind.objects.get(code="SQ"),
        title="企业用电增容审批迟滞",
        region=zones["east"].region,
        zone=zones["east"],
        level=Level.DISTRICT,
        opened=date(2025, 9, 26),
        acting_user=users["east"],
    )
    return {**province, "units": units, "users": users, "item": item}
