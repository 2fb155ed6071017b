"""A small service-request world on the shared test province: two enterprises with a login each,
a hotline dispatcher per city, a tax bureau with a member, and the SLAs of the data migration."""

from typing import Any

import pytest

from conftest import make_user
from kaifaqu.units.models import Membership, Unit


@pytest.fixture
def world(province: dict[str, Any]) -> dict[str, Any]:
    zones, enterprises = province["zones"], province["enterprises"]
    east_city, west_city = zones["east"].region.parent, zones["west"].region
    units = {
        "tax": Unit.objects.create(name="东城市税务局", kind="bureau", region=east_city),
        "land": Unit.objects.create(name="东城市自然资源局", kind="bureau", region=east_city),
        "west_tax": Unit.objects.create(name="西城市税务局", kind="bureau", region=west_city),
    }
    textile, west_chem = enterprises["东城纺织有限公司"], enterprises["西城化工有限公司"]
    users = {
        "firm": make_user("firm", "enterprise_user", enterprise=textile),
        "other_firm": make_user("other_firm", "enterprise_user", enterprise=west_chem),
        "dispatcher": make_user("dispatcher", "city_analyst", region=east_city),
        "west": make_user("west_sup", "city_analyst", region=west_city),
        "clerk": make_user("tax_clerk", "city_analyst", region=west_city),
        "land_clerk": make_user("land_clerk", "city_analyst", region=west_city),
        "zone": make_user("zone_staff", "zone_analyst", zones=(zones["east"],)),
        "province": make_user("prov", "province_analyst", region=province["province"]),
    }
    Membership.objects.create(unit=units["tax"], user=users["clerk"])
    Membership.objects.create(unit=units["land"], user=users["land_clerk"])
    return {**province, "units": units, "users": users, "textile": textile, "west": west_chem}
