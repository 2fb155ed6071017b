import pytest
from django.urls import reverse

from conftest import make_user
from kaifaqu.access.models import Role
from kaifaqu.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


def test_security_administrator_manages_roles_in_the_admin(client, province):
    client.force_login(make_user("sec", "security_admin", region=province["province"]))
    role = Role.objects.get(code="leadership")

    response = client.post(
        reverse("admin:access_role_change", args=[role.pk]),
        {
            "code": "leadership",
            "name": "领导(只读)",
            "kind": "business",
            "binding": "region",
            "actions": '["view"]',
        },
    )

    assert response.status_code == 302
    change = ObjectChange.objects.get()
    assert (change.username, change.role, change.channel) == ("sec", "security_admin", "admin")


def test_system_administrator_sees_no_business_data_in_the_admin(client, province):
    client.force_login(make_user("sys", "system_admin", region=province["province"]))
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:enterprises_enterprise_changelist")).status_code == 403


@pytest.mark.parametrize("role", ["audit_admin", "zone_analyst"])
def test_other_roles_cannot_open_the_admin(client, province, role):
    client.force_login(make_user("x", role, region=province["province"]))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_user_changes_are_logged_without_the_password_hash(client, province, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="Root-pass-2026")
    target = make_user("target", "zone_analyst", zones=(province["zones"]["east"],))
    client.force_login(root)

    client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {
            "username": "target",
            "first_name": "新名字",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    change = ObjectChange.objects.get(object_id=str(target.pk))
    assert change.after["first_name"] == "新名字"
    assert change.before["password"] == change.after["password"] == "(已隐藏)"
