"""The demo generator's behaviour: determinism, refusal, reset, the command line, the logins."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Region
from kaifaqu.demo.digest import content_digest
from kaifaqu.demo.generator import DEMO_PASSWORD, PROVINCE, DemoDataExists, generate
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.units.models import Membership, Unit
from kaifaqu.zones.models import Zone

pytestmark = [pytest.mark.django_db, pytest.mark.demo_build]

SMALL = 300


def test_same_seed_gives_identical_content():
    # given a demo province generated with seed 7
    generate(seed=7, enterprises=SMALL)
    first = content_digest()
    # when it is generated again from the same seed, after a reset
    generate(seed=7, enterprises=SMALL, reset=True)
    # then every row is the same
    assert content_digest() == first


def test_different_seed_gives_different_content():
    generate(seed=7, enterprises=SMALL)
    first = content_digest()
    generate(seed=8, enterprises=SMALL, reset=True)
    assert content_digest() != first


def test_reset_replaces_the_province_without_leftovers():
    generate(seed=7, enterprises=SMALL)
    generate(seed=7, enterprises=SMALL // 2, reset=True)
    assert Enterprise.objects.filter(province_code=PROVINCE).count() == SMALL // 2
    assert Region.objects.filter(code=PROVINCE).count() == 1
    assert Zone.objects.filter(province_code=PROVINCE).count() == 36


def test_refuses_without_reset_and_changes_nothing():
    # given a demo province
    generate(seed=7, enterprises=SMALL)
    before = content_digest()
    # when the generator runs again without reset
    with pytest.raises(DemoDataExists) as refused:
        generate(seed=8, enterprises=SMALL * 2)
    # then it says why and what to do, and the database is as it was
    assert str(refused.value) == (
        "演示数据已存在(省份代码 990000),未做任何修改;要重新生成请加 --reset"
    )
    assert content_digest() == before


def test_command_refuses_with_exit_status_1():
    generate(seed=7, enterprises=SMALL)
    with pytest.raises(CommandError) as refused:
        call_command("demo_data", "--enterprises", "10", stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 1
    assert Enterprise.objects.filter(province_code=PROVINCE).count() == SMALL


def test_command_prints_counts_progress_and_logins():
    # when the command line generates a small province
    out, err = StringIO(), StringIO()
    call_command("demo_data", "--enterprises", "250", "--seed", "5", stdout=out, stderr=err)
    # then stdout has the counts and the logins, stderr the progress
    printed = out.getvalue()
    assert "  企业:250\n" in printed
    assert "  开发区:36\n" in printed
    assert "  开发区年度指标:5,400\n" in printed
    assert "演示账号,登录 http://127.0.0.1:8000/\n" in printed
    logins = printed.split("演示账号,登录 http://127.0.0.1:8000/\n")[1].splitlines()[:6]
    assert logins == [
        f"  analyst / {DEMO_PASSWORD}(省商务厅分析员,主要演示账号)",
        f"  zone / {DEMO_PASSWORD}(开发区管委会,只见本区)",
        f"  sysadmin / {DEMO_PASSWORD}(系统管理员:账号与定时任务)",
        f"  secadmin / {DEMO_PASSWORD}(安全管理员:授权、解锁与重置密码)",
        f"  auditor / {DEMO_PASSWORD}(审计管理员:查阅审计日志)",
        f"  leader / {DEMO_PASSWORD}(省商务厅分管领导:公示期满后正式发布排名)",
    ]
    assert "admin /" not in printed.replace("sysadmin /", "").replace("secadmin /", "")
    assert "峰值内存" in printed
    assert "企业 250/250(100%)\n" in err.getvalue()
    assert EnterpriseYear.objects.filter(province_code=PROVINCE).exists()


def test_demo_logins_are_created_once_and_work():
    generate(seed=7, enterprises=50)
    generate(seed=7, enterprises=50, reset=True)
    users = get_user_model().objects.filter(last_name="演示").order_by("username")
    assert [
        (
            u.username,
            u.is_superuser or u.is_staff,
            u.profile.role and u.profile.role.code,
            u.profile.admin_role and u.profile.admin_role.code,
        )
        for u in users
    ] == [
        ("analyst", False, "province_analyst", None),
        ("auditor", False, None, "audit_admin"),
        ("enterprise", False, "enterprise_user", None),
        ("leader", False, "province_manager", None),
        ("secadmin", False, None, "security_admin"),
        ("sysadmin", False, None, "system_admin"),
        ("unit", False, "zone_analyst", None),
        ("zone", False, "zone_analyst", None),
    ]
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    assert not any(user.profile.must_change_password for user in users)


def test_one_change_log_entry_records_the_run():
    summary = generate(seed=7, enterprises=SMALL)
    # (the demo's policy clerk's own batch steps, opening reports and escalating, log apart)
    entry = ObjectChange.objects.get(action="bulk", object_repr__startswith="生成演示数据")
    assert (entry.username, entry.object_id) == ("system", "*")
    assert entry.object_repr == "生成演示数据 示范省(合成数据)(随机种子 7)"
    assert entry.after == summary.counts
    assert entry.after["enterprises"] == SMALL


def test_rejects_an_empty_province():
    with pytest.raises(CommandError) as refused:
        call_command("demo_data", "--enterprises", "0", stdout=StringIO(), stderr=StringIO())
    assert refused.value.returncode == 2
    assert not Region.objects.filter(code=PROVINCE).exists()


def test_units_of_the_province_cities_and_zones_with_members():
    generate(seed=7, enterprises=50)
    generate(seed=7, enterprises=50, reset=True)  # the units go and come back with the province
    cities = Region.objects.filter(province_code=PROVINCE, level="city").count()
    units = Unit.objects.filter(province_code=PROVINCE)
    assert units.filter(kind="bureau").count() == 6 * (1 + cities)
    assert units.filter(kind="zone_committee").count() == 36
    assert units.filter(kind="subdistrict").count() == 3
    assert set(units.filter(region__code=PROVINCE).values_list("name", flat=True)) >= {
        "示范省商务厅",
        "示范省发展和改革委员会",
        "示范省税务局",
    }
    first = Zone.objects.filter(province_code=PROVINCE).order_by("code").first()
    members = Membership.objects.values_list("user__username", "unit__name")
    tax = Unit.objects.get(memberships__user__username="unit").name
    assert set(members) == {
        ("analyst", "示范省商务厅"),
        ("leader", "示范省商务厅"),
        ("zone", f"{first.name}管委会"),
        ("unit", tax),
    }
    assert tax.startswith("国家税务总局")
    staff = get_user_model().objects.get(username="zone")
    assert set(Unit.objects.restrict(staff).values_list("kind", flat=True)) == {
        "bureau",
        "zone_committee",
        "subdistrict",
    }
