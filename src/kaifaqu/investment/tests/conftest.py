"""A small 招商 world on the shared test province: the east zone's 管委会 staff, a city bureau,
units, and one lead in the east zone."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from kaifaqu.investment import actions
from kaifaqu.units.models import Membership, Unit

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name: str = "合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(province: dict[str, Any]) -> dict[str, Any]:
    zones = province["zones"]
    east_city = zones["east"].region.parent
    units = {
        "committee": Unit.objects.create(
            name="东城经开区管委会", kind="zone_committee", region=zones["east"].region,
            zone=zones["east"],
        ),
        "land": Unit.objects.create(name="东城市自然资源局", kind="bureau", region=east_city),
        "power": Unit.objects.create(name="东城供电公司", kind="other", region=east_city),
    }  # fmt: skip
    users = {
        "zone": make_user("zone_staff", "zone_analyst", zones=(zones["east"],)),
        "west_zone": make_user("west_staff", "zone_analyst", zones=(zones["west"],)),
        "city": make_user("east_city", "city_analyst", region=east_city),
        "province": make_user("prov", "province_analyst", region=province["province"]),
        "land_clerk": make_user("land_clerk", "city_analyst", region=east_city),
    }
    Membership.objects.create(unit=units["land"], user=users["land_clerk"])
    project = actions.create_project(
        zone=zones["east"],
        name="新能源电池材料项目",
        investor="华创新能源集团",
        acting_user=users["zone"],
        person_in_charge=users["zone"],
        lead_unit=units["committee"],
        leading_industry=True,
    )
    project.stage_entered = date(2025, 1, 6)
    project.save()
    return {**province, "units": units, "users": users, "project": project}
