"""三员分立 for units: the system administrator keeps the registry (by hand or from a file), the
security administrator grants membership, never to itself; refusals change nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.units.models import Membership, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admins(province):
    return {
        "system": make_user("sys", "system_admin", region=province["province"]),
        "security": make_user("sec", "security_admin", region=province["province"]),
        "clerk": make_user("clerk", "zone_analyst", zones=(province["zones"]["east"],)),
    }


@pytest.fixture
def bureau(province):
    return Unit.objects.create(
        name="东城市商务局", kind="bureau", region=province["zones"]["east"].region.parent
    )


def unit_form(province, name="西城市发改委"):
    return {"name": name, "kind": "bureau", "region": province["zones"]["west"].region.pk,
            "aliases": '["西城发改委"]', "active": "on"}  # fmt: skip


def test_the_system_administrator_keeps_the_registry(client, province, admins):
    client.force_login(admins["system"])
    assert client.post(reverse("admin:units_unit_add"), unit_form(province)).status_code == 302
    unit = Unit.objects.get(name="西城市发改委")
    assert (unit.aliases, unit.province_code) == (["西城发改委"], "990000")
    assert ObjectChange.objects.filter(object_repr="西城市发改委", action="create").exists()
    assert client.get(reverse("admin:units_membership_add")).status_code == 403


def test_the_security_administrator_grants_membership_but_not_to_itself(
    client, province, admins, bureau
):
    client.force_login(admins["security"])
    assert client.post(reverse("admin:units_unit_add"), unit_form(province)).status_code == 403
    assert client.get(reverse("admin:units_unit_changelist")).status_code == 200
    for_self = {"unit": bureau.pk, "user": admins["security"].pk}
    assert client.post(reverse("admin:units_membership_add"), for_self).status_code == 200
    assert not Membership.objects.exists()
    granted = {"unit": bureau.pk, "user": admins["clerk"].pk}
    assert client.post(reverse("admin:units_membership_add"), granted).status_code == 302
    assert list(Membership.objects.values_list("unit__name", "user__username")) == [
        ("东城市商务局", "clerk")
    ]
    assert not Unit.objects.exclude(pk=bureau.pk).exists()


GOOD = (
    "单位名称,单位类别,所在区划代码,所属开发区代码,上级单位,别名\n"
    "东城市商务局,委办局,990100,,,东城商务局、市商务局\n"
    "东城经开区管委会,管委会,990102,Z001,东城商务局,东城经开区\n"
)
BAD = (
    "单位名称,单位类别,所在区划代码,所属开发区代码,上级单位,别名\n"
    "东城市发改委,委办,990100,,,\n"
    ",委办局,990100,Z003,,\n"
    "东城经开区管委会,管委会,990102,Z001,不存在的局,\n"
    "东城市税务局,委办局,990199,,,\n"
)


def upload(client, text: str):
    file = SimpleUploadedFile("units.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("admin:units_unit_import"), {"file": file}, follow=True)


def test_import_creates_updates_and_resolves_parents(client, admins, bureau):
    client.force_login(admins["system"])
    response = upload(client, GOOD)
    assert "新增 1 个,更新 1 个,未变 0 个" in response.content.decode()
    committee = Unit.objects.get(name="东城经开区管委会")
    assert (committee.parent, committee.zone.code, committee.aliases) == (
        bureau,
        "Z001",
        ["东城经开区"],
    )
    bureau.refresh_from_db()
    assert bureau.aliases == ["东城商务局", "市商务局"]
    assert "未变 2 个" in upload(client, GOOD).content.decode()


def test_a_file_with_problems_names_each_and_writes_nothing(client, admins, bureau):
    client.force_login(admins["system"])
    before = (list(Unit.objects.values()), ObjectChange.objects.count())
    body = upload(client, BAD).content.decode()
    for line in (
        "第2行「单位类别」列(值「委办」):不是可选的单位类别",
        "第3行「单位名称」列:必填",
        "第3行「所属开发区代码」列(值「Z003」):开发区不在该区划内",
        "第4行「上级单位」列(值「不存在的局」):未登记的单位",
        "第5行「所在区划代码」列(值「990199」):未登记的行政区划代码",
    ):
        assert line in body
    assert (list(Unit.objects.values()), ObjectChange.objects.count()) == before


def test_only_the_system_administrator_imports(client, admins):
    client.force_login(admins["security"])
    assert upload(client, GOOD).status_code == 403
    assert not Unit.objects.exists()
