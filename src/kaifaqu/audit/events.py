"""Security events (等保 audit) and domain events (business transitions), written as they happen."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from kaifaqu.audit.context import current_context
from kaifaqu.audit.log import actor
from kaifaqu.audit.models import DomainEvent, SecurityEvent

if TYPE_CHECKING:
    # Only the type: ``access`` records its own writes here, so it cannot be imported.
    from kaifaqu.access.users import ActingUser


def record_security_event(
    kind: str,
    *,
    request: HttpRequest | None,
    user: "ActingUser | None" = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    account = user if isinstance(user, User) else None
    return SecurityEvent.objects.create(
        kind=kind,
        user=account,
        username=account.get_username() if account is not None else username,
        ip=request.META.get("REMOTE_ADDR") if request is not None else None,
        path=request.path[:300] if request is not None else "",
        detail=detail[:300],
    )


def _domain_event(
    kind: str,
    who: dict[str, Any],
    summary: str,
    payload: dict[str, Any],
    province_code: str,
    region_code: str,
) -> DomainEvent:
    return DomainEvent(
        kind=kind,
        user=who["user"],
        username=who["username"],
        request_id=current_context().request_id,
        province_code=province_code,
        region_code=region_code,
        summary=summary[:300],
        payload=payload,
    )


def record_domain_event(
    kind: str,
    *,
    summary: str,
    acting_user: "ActingUser",
    payload: dict[str, Any],
    province_code: str = "",
    region_code: str = "",
) -> DomainEvent:
    event = _domain_event(kind, actor(acting_user), summary, payload, province_code, region_code)
    event.save()
    return event


def record_domain_events(
    events: Sequence[tuple[str, str, dict[str, Any], str]], *, acting_user: "ActingUser"
) -> list[DomainEvent]:
    """``record_domain_event`` of many events (kind, summary, payload, province code) in one
    INSERT."""
    who = actor(acting_user)
    return DomainEvent.objects.bulk_create(
        _domain_event(kind, who, summary, payload, province_code, "")
        for kind, summary, payload, province_code in events
    )
