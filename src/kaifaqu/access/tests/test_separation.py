"""三员分立 in every path that edits accounts and grants: each administrator on itself and others.

The system administrator keeps accounts and grants nothing; the security administrator grants
roles and bindings but not to itself; nobody sets Django's superuser, staff, group or permission
flags from the web; a superuser cannot sign in to the web in production. A refusal changes nothing.
"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import override_settings
from django.urls import reverse

from conftest import make_user
from kaifaqu.access.forms import SUPERUSER_REFUSED
from kaifaqu.access.models import Profile, Role
from kaifaqu.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def system_admin(province):
    return make_user("sys", "system_admin", region=province["province"])


@pytest.fixture
def security_admin(province):
    return make_user("sec", "security_admin", region=province["province"])


@pytest.fixture
def clerk(province):
    return make_user("clerk", "zone_analyst", zones=(province["zones"]["east"],))


def user_form(user, **extra):
    """What the user change form posts for ``user``, with ``extra`` fields added."""
    return {
        "username": user.username,
        "first_name": "新名字",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        **extra,
    }


GRANTS = {"is_superuser": "on", "is_staff": "on", "groups": "GROUP", "user_permissions": "1"}


def grants_of(user):
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        list(user.groups.all()),
        user.user_permissions.count(),
    )


@pytest.mark.parametrize("who", ["system_admin", "security_admin"])
@pytest.mark.parametrize("target", ["self", "clerk"])
def test_no_administrator_can_set_django_grant_flags(client, request, who, target, clerk):
    # given an administrator and a group that would carry permissions
    admin_user = request.getfixturevalue(who)
    group = Group.objects.create(name="everything")
    user = admin_user if target == "self" else clerk
    client.force_login(admin_user)
    # when it posts the user form with superuser, staff, group and permission fields
    extra = {**GRANTS, "groups": str(group.pk)}
    response = client.post(
        reverse("admin:auth_user_change", args=[user.pk]), user_form(user, **extra)
    )
    # then none of them is set, whatever the form was allowed to do otherwise
    assert response.status_code in (302, 403)
    assert grants_of(user) == (False, False, [], 0)


def test_the_system_administrator_keeps_accounts(client, system_admin, clerk):
    client.force_login(system_admin)
    response = client.post(reverse("admin:auth_user_change", args=[clerk.pk]), user_form(clerk))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.first_name == "新名字"
    added = client.post(
        reverse("admin:auth_user_add"),
        {"username": "newcomer", "password1": "Kfq-2026-new!", "password2": "Kfq-2026-new!"},
    )
    assert added.status_code == 302
    assert User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("target", ["self", "clerk"])
def test_the_system_administrator_grants_no_role(client, province, system_admin, clerk, target):
    # given the system administrator and a profile (its own or a clerk's)
    client.force_login(system_admin)
    profile = (system_admin if target == "self" else clerk).profile
    before = ObjectChange.objects.count()
    # when it tries to make the profile a province analyst, or to create one for a new account
    changed = client.post(
        reverse("admin:access_profile_change", args=[profile.pk]),
        profile_form(profile.user, "province_analyst", province),
    )
    newcomer = User.objects.create_user("newcomer")
    added = client.post(
        reverse("admin:access_profile_add"), profile_form(newcomer, "province_analyst", province)
    )
    # then both are refused and nothing changed
    assert (changed.status_code, added.status_code) == (403, 403)
    profile.refresh_from_db()
    assert profile.role is None if target == "self" else profile.role.code == "zone_analyst"
    assert not Profile.objects.filter(user=newcomer).exists()
    assert ObjectChange.objects.count() == before


def profile_form(user, role_code, province, admin_role=""):
    return {
        "user": str(user.pk),
        "role": str(Role.objects.get(code=role_code).pk),
        "admin_role": admin_role,
        "region": province["province"].pk,
        "zones": [],
        "enterprise": "",
    }


def test_the_security_administrator_grants_roles_to_others(client, province, security_admin, clerk):
    client.force_login(security_admin)
    response = client.post(
        reverse("admin:access_profile_change", args=[clerk.profile.pk]),
        profile_form(clerk, "province_analyst", province),
    )
    assert response.status_code == 302
    clerk.profile.refresh_from_db()
    assert clerk.profile.role.code == "province_analyst"
    change = ObjectChange.objects.get()
    assert (change.username, change.after["role"]) == ("sec", clerk.profile.role_id)


def test_the_security_administrator_cannot_change_its_own_grants(client, province, security_admin):
    # given the security administrator's own profile
    client.force_login(security_admin)
    own = security_admin.profile
    # when it gives itself a business role on its profile
    response = client.post(
        reverse("admin:access_profile_change", args=[own.pk]),
        profile_form(security_admin, "province_analyst", province, str(own.admin_role_id)),
    )
    # then it is refused and its profile is unchanged
    assert response.status_code == 403
    own.refresh_from_db()
    assert (own.role, own.admin_role.code) == (None, "security_admin")
    assert not ObjectChange.objects.exists()


def test_the_security_administrator_cannot_make_itself_a_second_profile(
    client, province, security_admin, clerk
):
    # given another account's profile and a form pointing a profile at the administrator itself
    client.force_login(security_admin)
    moved = profile_form(security_admin, "province_analyst", province)
    # when it moves the clerk's profile to itself, or adds a new one for itself
    changed = client.post(reverse("admin:access_profile_change", args=[clerk.profile.pk]), moved)
    added = client.post(reverse("admin:access_profile_add"), moved)
    # then the form refuses its own account as a choice, and nothing changed
    for response in (changed, added):
        assert response.status_code == 200
        assert "user" in response.context["adminform"].form.errors
    clerk.profile.refresh_from_db()
    assert clerk.profile.user == clerk
    assert Profile.objects.filter(user=security_admin).count() == 1
    assert not ObjectChange.objects.exists()


def test_the_security_administrator_cannot_redefine_a_role_it_holds(client, security_admin):
    client.force_login(security_admin)
    role = Role.objects.get(code="security_admin")
    response = client.post(
        reverse("admin:access_role_change", args=[role.pk]),
        {
            "code": "security_admin",
            "name": "安全管理员",
            "binding": "region",
            "actions": '["view"]',
        },
    )
    assert response.status_code == 403
    role.refresh_from_db()
    assert role.actions == []


def test_the_security_administrator_edits_no_account(client, security_admin, clerk):
    client.force_login(security_admin)
    response = client.post(reverse("admin:auth_user_change", args=[clerk.pk]), user_form(clerk))
    assert response.status_code == 403
    clerk.refresh_from_db()
    assert clerk.first_name == ""


def test_the_api_has_no_path_that_edits_accounts_or_grants(client, province_analyst):
    client.force_login(province_analyst)
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    resources = {path.removeprefix("/api/v1/").split("/")[0] for path in paths}
    words = ("user", "profile", "role", "group")
    assert not [name for name in resources if any(word in name for word in words)]


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_a_superuser_cannot_sign_in_to_the_web_in_production(client, login_url):
    User.objects.create_superuser("root", password="Root-pass-2026")
    response = client.post(login_url, {"username": "root", "password": "Root-pass-2026"})
    assert response.status_code == 200
    assert SUPERUSER_REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(KAIFAQU_SUPERUSER_WEB_LOGIN=True)
def test_a_superuser_signs_in_where_the_setting_allows_it(client):
    User.objects.create_superuser("root", password="Root-pass-2026")
    response = client.post("/accounts/login/", {"username": "root", "password": "Root-pass-2026"})
    assert response.status_code == 302
