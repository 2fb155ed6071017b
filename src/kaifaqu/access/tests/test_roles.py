import pytest
from django.core.exceptions import ValidationError

from conftest import make_user
from kaifaqu.access.actions import grant_role
from kaifaqu.access.models import Profile, Role
from kaifaqu.audit.models import DomainEvent, ObjectChange

pytestmark = pytest.mark.django_db


def test_an_administrator_role_cannot_be_a_business_role(province):
    user = make_user("x", "zone_analyst", zones=(province["zones"]["east"],))
    profile = user.profile
    profile.role = Role.objects.get(code="audit_admin")
    with pytest.raises(ValidationError) as raised:
        profile.full_clean()
    assert "业务角色只能选择业务类角色" in raised.value.message_dict["role"]


def test_granting_a_second_administrator_role_replaces_the_first(province):
    # 三员分立: one administrator slot, so no account ever holds two of the three roles
    system = make_user("root", "province_analyst", region=province["province"])
    user = make_user("x", "security_admin", region=province["province"])

    grant_role(user.profile, Role.objects.get(code="audit_admin"), acting_user=system)

    profile = Profile.objects.get(user=user)
    assert profile.admin_role.code == "audit_admin"
    event = DomainEvent.objects.get()
    assert (event.kind, event.payload) == ("role_granted", {"user": "x", "role": "audit_admin"})
    assert (
        ObjectChange.objects.get().before["admin_role"]
        == Role.objects.get(code="security_admin").pk
    )


def test_administrators_alone_see_no_business_data(province):
    from kaifaqu.enterprises.models import Enterprise

    for code in ("system_admin", "security_admin", "audit_admin"):
        user = make_user(code, code, region=province["province"])
        assert Enterprise.objects.restrict(user).count() == 0
