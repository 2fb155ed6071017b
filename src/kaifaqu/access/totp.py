"""The optional second factor (TOTP, RFC 6238), as 等保 level 3 asks for important systems."""

import pyotp
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest

from kaifaqu.access.models import TOTPDevice
from kaifaqu.access.users import ActingUser
from kaifaqu.audit.choices import SecurityEventKind
from kaifaqu.audit.events import record_security_event

ISSUER = "开发区智慧管理平台"
VERIFIED = "kaifaqu_otp_verified"


def confirmed_device(user: ActingUser) -> TOTPDevice | None:
    if isinstance(user, AnonymousUser):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def start_setup(user: User) -> TOTPDevice:
    """The user's device, created with a fresh secret the first time (kept across reloads)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    return device


def disable(device: TOTPDevice, code: str, *, request: HttpRequest) -> bool:
    """Turn the second factor off; it takes a current code, so a stolen session cannot."""
    if not code_is_valid(device, code):
        return False
    device.delete()
    record_security_event(SecurityEventKind.OTP_DISABLED, request=request, user=request.user)
    return True


def provisioning_uri(device: TOTPDevice) -> str:
    totp = pyotp.TOTP(device.secret)
    return totp.provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def code_is_valid(device: TOTPDevice, code: str) -> bool:
    # One step of clock drift either way, as authenticator apps and servers rarely agree exactly.
    return pyotp.TOTP(device.secret).verify(code.strip(), valid_window=1)


def confirm(device: TOTPDevice, code: str, *, request: HttpRequest) -> bool:
    if not code_is_valid(device, code):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session[VERIFIED] = True
        record_security_event(SecurityEventKind.OTP_ENABLED, request=request, user=device.user)
    return True


def verify(device: TOTPDevice, code: str, *, request: HttpRequest) -> bool:
    """Check the code given at login; a wrong one is a security event."""
    if code_is_valid(device, code):
        request.session[VERIFIED] = True
        return True
    record_security_event(SecurityEventKind.OTP_FAILED, request=request, user=device.user)
    return False
