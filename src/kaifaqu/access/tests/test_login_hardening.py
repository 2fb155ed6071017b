"""等保 login rules, clock controlled: lockout, idle timeout, password rules, forced change."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from kaifaqu.access.models import Profile
from kaifaqu.audit.models import SecurityEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests-2026"
LOGIN = "/accounts/login/"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.9")


def kinds():
    return list(SecurityEvent.objects.order_by("id").values_list("kind", flat=True))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码长度太短,至少需要8个字符"),
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、特殊字符中的至少3类"),
        ("Password1", "这个密码太常见了。"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, message):
    with pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert message in raised.value.messages


def test_strong_password_passes():
    validate_password("Kfq-2026-zone")


def test_five_failures_lock_the_account_for_thirty_minutes(client, province, zone_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert attempt(client, "east_staff", "wrong").status_code == 200
        locked = attempt(client, "east_staff", "wrong")
        assert locked.status_code == 429
        assert "账户已被锁定" in locked.content.decode()
        # the right password does not help while locked
        assert attempt(client, "east_staff", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert attempt(client, "east_staff", PASSWORD).status_code == 429
    # an attempt while locked counts as a failure and restarts the 30 minutes
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert attempt(client, "east_staff", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        assert attempt(client, "east_staff", PASSWORD).status_code == 302
    assert kinds().count("login_failed") == 8  # five wrong passwords, three tries while locked
    assert "locked_out" in kinds()
    assert kinds()[-1] == "login"


def test_idle_session_times_out_but_polling_does_not_keep_it_alive(client, province, zone_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert attempt(client, "east_staff", PASSWORD).status_code == 302
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        # a progress poll 20 minutes later is not activity
        assert client.get("/jobs/", headers={"X-Kaifaqu-Poll": "1"}).status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        expired = client.get("/zones/")
    assert expired.status_code == 302
    assert expired["Location"] == "/accounts/login/?next=/zones/&expired=1"
    assert kinds()[-1] == "session_expired"


def test_activity_keeps_the_session_alive(client, province, zone_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt(client, "east_staff", PASSWORD)
    with time_machine.travel(start + timedelta(minutes=25), tick=False):
        assert client.get("/zones/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        assert client.get("/zones/").status_code == 200


def test_first_login_forces_a_password_change(client, province, zone_user):
    Profile.objects.filter(user=zone_user).update(must_change_password=True)
    attempt(client, "east_staff", PASSWORD)

    assert client.get("/zones/")["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Kfq-2026-zone",
            "new_password2": "Kfq-2026-zone",
        },
    )

    assert response.status_code == 302
    assert client.get("/zones/").status_code == 200
    assert kinds()[-1] == "password_changed"


def test_security_admin_reset_forces_a_change_at_next_login(client, province, zone_user):
    admin = make_user("sec", "security_admin", region=province["province"])
    client.force_login(admin)

    response = client.post(
        reverse("access:security"),
        {"username": "east_staff", "temporary_password": "Tmp-2026-reset"},
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=zone_user).must_change_password
    assert get_user_model().objects.get(username="east_staff").check_password("Tmp-2026-reset")
    event = SecurityEvent.objects.get(kind="password_reset")
    assert (event.username, event.detail) == ("east_staff", "由 sec 重置")


def test_security_admin_reset_refuses_a_weak_password(client, province, zone_user):
    client.force_login(make_user("sec", "security_admin", region=province["province"]))
    before = get_user_model().objects.get(username="east_staff").password

    response = client.post(
        reverse("access:security"), {"username": "east_staff", "temporary_password": "simple"}
    )

    assert response.status_code == 200
    assert "密码长度太短,至少需要8个字符" in response.content.decode()
    assert get_user_model().objects.get(username="east_staff").password == before


def test_security_admin_unlocks_an_account(client, province, zone_user):
    for _ in range(5):
        attempt(client, "east_staff", "wrong")
    client.force_login(make_user("sec", "security_admin", region=province["province"]))
    assert "east_staff" in client.get(reverse("access:security")).content.decode()

    client.post(reverse("access:security"), {"unlock": "east_staff"})

    client.logout()
    assert attempt(client, "east_staff", PASSWORD).status_code == 302
    assert "unlocked" in kinds()


def test_permission_denial_is_recorded(client, province):
    client.force_login(make_user("aud", "audit_admin", region=province["province"]))
    assert client.get("/zones/").status_code == 403
    event = SecurityEvent.objects.get(kind="permission_denied")
    assert (event.username, event.path) == ("aud", "/zones/")


def attempt_from(client, address, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_one_locked_account_does_not_lock_its_colleagues_on_the_same_address(
    client, province, zone_user
):
    # given a colleague behind the same government NAT address
    make_user("colleague", "zone_analyst", zones=(province["zones"]["east"],))
    # when one account fails five times
    for _ in range(5):
        attempt_from(client, "10.0.0.9", "east_staff", "wrong")
    # then that account is locked, and the colleague on the same address signs in
    assert attempt_from(client, "10.0.0.9", "east_staff", PASSWORD).status_code == 429
    assert attempt_from(client, "10.0.0.9", "colleague", PASSWORD).status_code == 302


def test_an_account_is_locked_after_failures_from_any_addresses(client, province, zone_user):
    for last in range(1, 6):
        attempt_from(client, f"10.0.1.{last}", "east_staff", "wrong")
    assert attempt_from(client, "10.0.2.1", "east_staff", PASSWORD).status_code == 429


@override_settings(KAIFAQU_ADDRESS_LOCKOUT_FAILURES=8)
def test_an_address_trying_many_accounts_is_throttled(client, province, zone_user):
    # given an address that fails twice on each of four accounts (8 failures, no account locked)
    statuses = [
        attempt_from(client, "10.0.0.66", name, "wrong").status_code
        for name in ("a1", "a2", "a3", "a4")
        for _ in range(2)
    ]
    # then the eighth failure throttles the address, even for a right password; others are not
    assert statuses == [200] * 7 + [429]
    assert attempt_from(client, "10.0.0.66", "east_staff", PASSWORD).status_code == 429
    assert attempt_from(client, "10.0.0.67", "east_staff", PASSWORD).status_code == 302


def test_seven_failures_on_an_address_do_not_throttle_it(client, province, zone_user):
    with override_settings(KAIFAQU_ADDRESS_LOCKOUT_FAILURES=8):
        for name in ("a1", "a2", "a3", "a4"):
            attempt_from(client, "10.0.0.66", name, "wrong")
        for name in ("a1", "a2", "a3"):
            attempt_from(client, "10.0.0.66", name, "wrong")
        assert attempt_from(client, "10.0.0.66", "east_staff", PASSWORD).status_code == 302


def test_a_wrong_old_password_on_the_change_page_counts_towards_the_lockout(
    client, province, zone_user
):
    # given a signed-in user whose session someone else is using
    attempt(client, "east_staff", PASSWORD)
    wrong = {
        "old_password": "guess",
        "new_password1": "Kfq-2026-x!",
        "new_password2": "Kfq-2026-x!",
    }
    # when the old password is guessed wrong five times
    for _ in range(4):
        assert client.post(reverse("password_change"), wrong).status_code == 200
    locked = client.post(reverse("password_change"), wrong)
    # then the account is locked, the session signed out, and the password unchanged
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert attempt(client, "east_staff", PASSWORD).status_code == 429
    assert get_user_model().objects.get(username="east_staff").check_password(PASSWORD)
    assert kinds().count("login_failed") == 6  # five guesses, one sign-in while locked
