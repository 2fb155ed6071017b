"""Writes of the access app: passwords, lockouts and role grants, each audited."""

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.http import HttpRequest
from django.utils import timezone

from kaifaqu.access.models import Profile, Role
from kaifaqu.access.users import ActingUser
from kaifaqu.audit.choices import SecurityEventKind
from kaifaqu.audit.events import record_domain_event, record_security_event
from kaifaqu.audit.writes import audited_save


def password_changed(user: User, *, request: HttpRequest) -> None:
    """The user chose a new password: the forced change is satisfied."""
    with transaction.atomic():
        Profile.objects.filter(user=user).update(must_change_password=False)
        record_security_event(SecurityEventKind.PASSWORD_CHANGED, request=request, user=user)


def reset_password(
    user: User, temporary: str, *, acting_user: ActingUser, request: HttpRequest
) -> None:
    """A security administrator sets a temporary password; the user must change it at login."""
    with transaction.atomic():
        user.set_password(temporary)
        user.save(update_fields=["password"])
        Profile.objects.filter(user=user).update(must_change_password=True)
        record_security_event(
            SecurityEventKind.PASSWORD_RESET,
            request=request,
            user=user,
            detail=f"由 {acting_user.get_username()} 重置",
        )


def locked_accounts() -> QuerySet[Any]:
    """Usernames with failures at the limit, from any addresses, within the cool-off time."""
    from axes.models import AccessAttempt

    locked: QuerySet[Any] = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    return locked


def locked_usernames() -> list[str]:
    """Accounts locked out now."""
    return sorted(row["username"] for row in locked_accounts())


def unlock(username: str, *, acting_user: ActingUser, request: HttpRequest) -> int:
    with transaction.atomic():
        count: int = axes_reset(username=username)
        record_security_event(
            SecurityEventKind.UNLOCKED,
            request=request,
            username=username,
            detail=f"由 {acting_user.get_username()} 解除",
        )
    return count


def grant_role(profile: Profile, role: Role, *, acting_user: ActingUser) -> Profile:
    """Give ``profile`` a business role or one of the three administrator roles (replacing it)."""
    with transaction.atomic():
        if role.kind == "business":
            profile.role = role
        else:
            profile.admin_role = role
        audited_save(profile, acting_user=acting_user)
        record_domain_event(
            "role_granted",
            summary=f"{profile.user.get_username()} 被授予角色 {role.name}",
            acting_user=acting_user,
            payload={"user": profile.user.get_username(), "role": role.code},
        )
    return profile
