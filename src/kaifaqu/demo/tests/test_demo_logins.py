"""What the demo province's logins see and may do, on one province generated for the module.

These tests only read the province (their own writes roll back with each test), so it is generated
once for the module, like test_distributions does, and rolled back at the end.
"""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from kaifaqu.catalog.models import Region
from kaifaqu.demo.digest import content_digest
from kaifaqu.demo.generator import DEMO_PASSWORD, PROVINCE, generate
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.zones.models import Zone

pytestmark = [pytest.mark.django_db, pytest.mark.demo_build]


@pytest.fixture(scope="module", autouse=True)
def province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(seed=7, enterprises=50)
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    ("username", "console"),
    [("sysadmin", "/admin/"), ("secadmin", "/security/"), ("auditor", "/audit/")],
)
def test_each_administrator_logs_in_to_its_own_console(client, username, console):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(console).status_code == 200
    assert client.get("/zones/").status_code == 403  # no business pages without a business role


def test_analyst_sees_the_whole_demo_province_and_only_it():
    # given the demo province beside another province's zone
    other = Region.objects.create(code="980000", name="他省", level="province")
    Zone.objects.create(code="X001", name="他省开发区", kind="other", region=other)
    # when the analyst's scope is applied
    analyst = get_user_model().objects.get(username="analyst")
    # then they see every demo zone and nothing of the other province
    assert (analyst.profile.role.code, analyst.profile.region.code) == (
        "province_analyst",
        PROVINCE,
    )
    visible = Zone.objects.restrict(analyst, "view")
    assert visible.count() == 36
    assert not visible.filter(province_code="980000").exists()


def test_zone_login_sees_only_the_first_demo_zone():
    staff = get_user_model().objects.get(username="zone")
    first = Zone.objects.filter(province_code=PROVINCE).order_by("code").first()
    assert list(Zone.objects.restrict(staff, "view")) == [first]
    visible = Enterprise.objects.restrict(staff, "view")
    assert set(visible.values_list("zone_id", flat=True)) == {first.pk}


def test_command_refuses_a_user_who_is_not_a_superuser():
    before = content_digest()
    with pytest.raises(CommandError) as refused:
        call_command(
            "demo_data", "--reset", "--as", "analyst", stdout=StringIO(), stderr=StringIO()
        )
    assert str(refused.value) == "只有超级管理员可以生成演示数据"
    assert refused.value.returncode == 1
    assert content_digest() == before
