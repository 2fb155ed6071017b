"""The optional second factor: enable with a code, then every login asks for one."""

import pyotp
import pytest
from django.urls import reverse

from kaifaqu.access.models import TOTPDevice
from kaifaqu.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-2026"


def login(client):
    return client.post("/accounts/login/", {"username": "east_staff", "password": PASSWORD})


def test_enabling_requires_a_valid_code_then_login_asks_for_one(client, province, zone_user):
    login(client)
    setup = client.get(reverse("totp_setup"))
    secret = setup.context["device"].secret
    assert "未启用" in setup.content.decode()

    wrong = client.post(reverse("totp_setup"), {"code": "000000"})
    assert "动态口令不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.get(user=zone_user).confirmed

    client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert TOTPDevice.objects.get(user=zone_user).confirmed

    client.logout()
    login(client)
    blocked = client.get("/zones/")
    assert blocked["Location"] == "/accounts/totp/verify/?next=/zones/"
    assert client.post("/accounts/totp/verify/?next=/zones/", {"code": "123456"}).status_code == 200
    passed = client.post("/accounts/totp/verify/?next=/zones/", {"code": pyotp.TOTP(secret).now()})
    assert passed["Location"] == "/zones/"
    assert client.get("/zones/").status_code == 200
    kinds = list(SecurityEvent.objects.values_list("kind", flat=True).order_by("id"))
    assert kinds.count("otp_failed") == 1
    assert "otp_enabled" in kinds


def test_api_session_without_the_second_factor_is_refused(client, province, zone_user):
    device = TOTPDevice.objects.create(user=zone_user, secret=pyotp.random_base32(), confirmed=True)
    login(client)
    response = client.get("/api/v1/zones/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "second_factor_required"
    assert device.pk


def test_disabling_takes_a_current_code(client, province, zone_user):
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=zone_user, secret=secret, confirmed=True)
    client.force_login(zone_user)
    session = client.session
    session["kaifaqu_otp_verified"] = True
    session.save()

    client.post(reverse("totp_setup"), {"code": "000000"})
    assert TOTPDevice.objects.filter(user=zone_user).exists()
    client.post(reverse("totp_setup"), {"code": pyotp.TOTP(secret).now()})
    assert not TOTPDevice.objects.filter(user=zone_user).exists()
