"""The demo province's government units and their members.

The province and each city get the six bureaus that 企业诉求 and 招商 work goes to, each zone its
管委会, and the first zone's county a few 街道. The demo logins become members: the analyst of
the 省商务厅, the zone login of its zone's 管委会 (in a real installation the security
administrator grants membership; here the generator, logged as one batch, does).
"""

from typing import Any

from django.contrib.auth import get_user_model

from kaifaqu.catalog.models import Region
from kaifaqu.units.models import Membership, Unit
from kaifaqu.zones.models import Zone

# (province's name, city's name pattern, aliases): the 委办局 of each level.
BUREAUS = (
    ("商务厅", "{city}商务局", ("商务局",)),
    ("发展和改革委员会", "{city}发展和改革委员会", ("发改委",)),
    ("工业和信息化厅", "{city}工业和信息化局", ("工信局", "经信局")),
    ("自然资源厅", "{city}自然资源和规划局", ("自然资源局",)),
    ("生态环境厅", "{city}生态环境局", ("生态环境局", "环保局")),
    ("税务局", "国家税务总局{city}税务局", ("税务局",)),
)
SUBDISTRICTS = ("城关街道", "新城街道", "开发区街道")


def write_units(province_code: str) -> dict[str, int]:
    """Create the units and memberships of the demo province; returns the counts."""
    province = Region.objects.get(code=province_code)
    cities = list(Region.objects.filter(parent=province).order_by("code"))
    top = {
        name: Unit.objects.create(
            name=f"示范省{name}", kind="bureau", region=province, aliases=list(aliases)
        )
        for name, _, aliases in BUREAUS
    }
    for city in cities:
        Unit.objects.bulk_create(
            Unit(
                name=pattern.format(city=city.name),
                kind="bureau",
                region=city,
                parent=top[name],
                province_code=province_code,
                aliases=[city.name + alias for alias in aliases],
            )
            for name, pattern, aliases in BUREAUS
        )
    zones = list(Zone.objects.filter(province_code=province_code).order_by("code"))
    committees = Unit.objects.bulk_create(
        Unit(
            name=f"{zone.name}管委会",
            kind="zone_committee",
            region_id=zone.region_id,
            zone=zone,
            province_code=province_code,
        )
        for zone in zones
    )
    county = zones[0].region
    Unit.objects.bulk_create(
        Unit(
            name=f"{county.name}{name}",
            kind="subdistrict",
            region=county,
            province_code=province_code,
        )
        for name in SUBDISTRICTS
    )
    users: Any = get_user_model()._default_manager
    Membership.objects.bulk_create(
        [
            Membership(unit=top["商务厅"], user=users.get(username="analyst")),
            Membership(unit=top["商务厅"], user=users.get(username="leader")),
            Membership(unit=committees[0], user=users.get(username="zone")),
        ]
    )
    return {
        "units": Unit.objects.filter(province_code=province_code).count(),
        "unit_members": Membership.objects.filter(unit__province_code=province_code).count(),
    }
