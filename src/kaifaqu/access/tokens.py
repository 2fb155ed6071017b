"""API tokens: made and revoked by their user (or revoked by the security administrator), checked
on every API request against the account as it is now.

A key is ``kfq_`` and 40 random URL-safe characters, shown once; the database keeps its SHA-256
(a key this random needs no slow hash). A token works until it expires (``KAIFAQU_API_TOKEN_DAYS``)
or is revoked, and never for an account that is inactive, locked out or must change its password:
the token speaks for the account, so it obeys the account's state.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from rest_framework import authentication, exceptions

from kaifaqu.access.actions import locked_accounts
from kaifaqu.access.models import ApiToken, Profile
from kaifaqu.access.totp import code_is_valid, confirmed_device
from kaifaqu.access.users import ActingUser
from kaifaqu.audit.writes import audited_save

KEY_PREFIX = "kfq_"
# Last use is recorded at this granularity, so a busy system does not write on every request.
LAST_USED_STEP = timedelta(minutes=5)


class TokenRefused(exceptions.AuthenticationFailed):
    """401 with the reason a caller's token does not work now, in the API's error format."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User, name: str, *, code: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key (shown once). With TOTP on, ``code`` must be valid."""
    device = confirmed_device(user)
    if device is not None and not code_is_valid(device, code):
        raise PermissionError("动态口令不正确,未创建令牌")
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken(
        user=user,
        name=name,
        key_hash=digest(key),
        expires=timezone.now() + timedelta(days=settings.KAIFAQU_API_TOKEN_DAYS),
    )
    return audited_save(token, acting_user=user), key


def active_tokens(user: User | None = None) -> QuerySet[ApiToken]:
    """Tokens not revoked and not expired (of ``user``, or of everyone for the security console)."""
    tokens = ApiToken.objects.filter(revoked__isnull=True, expires__gt=timezone.now())
    return tokens if user is None else tokens.filter(user=user)


def revoke_token(token: ApiToken, *, acting_user: ActingUser) -> ApiToken:
    with transaction.atomic():
        token.revoked = timezone.now()
        return audited_save(token, acting_user=acting_user)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Authorization: Token <key>`` scheme over hashed, expiring, revocable tokens."""

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        # One query: the token, its user and profile, and whether the account is locked out now.
        token = (
            ApiToken.objects.select_related("user", "user__profile")
            .annotate(locked=Exists(locked_accounts().filter(username=OuterRef("user__username"))))
            .filter(key_hash=digest(key), revoked__isnull=True)
            .first()
        )
        now = timezone.now()
        if token is None:
            raise TokenRefused("authentication_failed", "令牌无效或已撤销")
        if token.expires <= now:
            raise TokenRefused("token_expired", "令牌已过期,请在网页「接口令牌」中重新创建")
        _check_account(token.user, locked=token.locked)
        if token.last_used is None or now - token.last_used >= LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token


def _check_account(user: User, *, locked: bool) -> None:
    if not user.is_active:
        raise TokenRefused("authentication_failed", "账户已停用")
    if locked:
        raise TokenRefused(
            "account_locked", "账户因多次登录失败已被锁定,请稍后再试或联系安全管理员"
        )
    if _must_change_password(user):
        raise TokenRefused("password_change_required", "请先在网页上修改密码后再调用接口")


def _must_change_password(user: User) -> bool:
    try:
        return bool(user.profile.must_change_password)
    except Profile.DoesNotExist:
        return False
