"""API tokens obey the account: hashed, shown once, expiring, revocable, refused for an account
that is inactive, locked or must change its password, and made with TOTP when it is on."""

import hashlib
import importlib
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from conftest import make_user
from kaifaqu.access.models import ApiToken, Profile
from kaifaqu.access.totp import start_setup
from kaifaqu.audit.models import ObjectChange

pytestmark = pytest.mark.django_db


def make_on_page(client, name="12345 热线平台", code=""):
    response = client.post(reverse("api_tokens"), {"name": name, "code": code})
    return response, response.context.get("new_key")


def api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/zones/")


def error_of(response):
    return (
        response.status_code,
        response.json()["error"]["code"],
        response.json()["error"]["message"],
    )


def test_a_user_makes_a_token_whose_key_is_shown_once_and_stored_hashed(client, zone_user):
    client.force_login(zone_user)
    with time_machine.travel(timezone.now(), tick=False):
        response, key = make_on_page(client)
    assert response.status_code == 200
    assert key.startswith("kfq_")
    assert len(key) == 44
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ObjectChange.objects.get().after)
    assert key not in client.get(reverse("api_tokens")).content.decode()
    # the token reads as its user, and its use is recorded
    assert api(key).status_code == 200
    token.refresh_from_db()
    assert token.last_used is not None
    assert token.expires - token.created == timedelta(days=90)


def test_several_tokens_per_user_each_revocable(client, zone_user):
    client.force_login(zone_user)
    _, first = make_on_page(client, "系统甲")
    _, second = make_on_page(client, "系统乙")
    client.post(reverse("api_tokens"), {"revoke": ApiToken.objects.get(name="系统甲").pk})
    assert error_of(api(first)) == (401, "authentication_failed", "令牌无效或已撤销")
    assert api(second).status_code == 200


def test_a_user_cannot_revoke_another_users_token(client, province, zone_user):
    other = make_user("other", "zone_analyst", zones=(province["zones"]["east"],))
    client.force_login(other)
    _, key = make_on_page(client)
    client.force_login(zone_user)
    response = client.post(reverse("api_tokens"), {"revoke": ApiToken.objects.get().pk})
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked is None
    assert api(key).status_code == 200


def test_the_security_administrator_lists_and_revokes_tokens(client, province, zone_user):
    client.force_login(zone_user)
    _, key = make_on_page(client, "热线平台")
    client.force_login(make_user("sec", "security_admin", region=province["province"]))
    assert "热线平台" in client.get(reverse("access:security")).content.decode()
    client.post(reverse("access:security"), {"revoke": ApiToken.objects.get().pk})
    assert error_of(api(key))[:2] == (401, "authentication_failed")
    assert ObjectChange.objects.filter(username="sec").count() == 1


def test_with_totp_on_a_token_needs_a_valid_code(client, zone_user):
    device = start_setup(zone_user)
    device.confirmed = True
    device.save()
    client.force_login(zone_user)
    session = client.session
    session["kaifaqu_otp_verified"] = True
    session.save()
    refused, key = make_on_page(client, code="000000")
    assert key is None
    assert "动态口令不正确,未创建令牌" in refused.content.decode()
    assert not ApiToken.objects.exists()
    _, key = make_on_page(client, code=pyotp.TOTP(device.secret).now())
    assert api(key).status_code == 200


def test_an_expired_token_is_refused(client, zone_user):
    client.force_login(zone_user)
    _, key = make_on_page(client)
    with time_machine.travel(timezone.now() + timedelta(days=90, seconds=1)):
        assert error_of(api(key)) == (
            401,
            "token_expired",
            "令牌已过期,请在网页「接口令牌」中重新创建",
        )


def test_a_token_of_an_account_that_must_change_its_password_is_refused(client, zone_user):
    client.force_login(zone_user)
    _, key = make_on_page(client)
    Profile.objects.filter(user=zone_user).update(must_change_password=True)
    assert error_of(api(key)) == (
        401,
        "password_change_required",
        "请先在网页上修改密码后再调用接口",
    )


def test_a_token_of_a_locked_account_is_refused(client, zone_user):
    client.force_login(zone_user)
    _, key = make_on_page(client)
    for _ in range(5):
        client.post("/accounts/login/", {"username": "east_staff", "password": "wrong"})
    assert error_of(api(key))[:2] == (401, "account_locked")


def test_a_token_of_an_inactive_account_is_refused(client, zone_user):
    client.force_login(zone_user)
    _, key = make_on_page(client)
    zone_user.is_active = False
    zone_user.save()
    assert error_of(api(key)) == (401, "authentication_failed", "账户已停用")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_plaintext_keys_of_the_old_token_table_carry_over_hashed(zone_user):
    # given the table of rest_framework.authtoken with one plaintext key
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40), user_id integer)")
        cursor.execute("INSERT INTO authtoken_token VALUES ('abc123', %s)", [zone_user.pk])
    migration = importlib.import_module("kaifaqu.access.migrations.0004_api_tokens")
    # when the migration carries it over
    with connection.schema_editor() as editor:
        migration.carry_over_plain_tokens(apps, editor)
    # then the key still works, stored as its hash, and the plaintext table is gone
    assert ApiToken.objects.get().key_hash == hashlib.sha256(b"abc123").hexdigest()
    assert "authtoken_token" not in connection.introspection.table_names()
    assert api("abc123").status_code == 200
