"""Security events (等保 audit) and domain events (business transitions), written as they happen."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from kaifaqu.audit.context import current_context
from kaifaqu.audit.log import actor
from kaifaqu.audit.models import DomainEvent, SecurityEvent


def record_security_event(
    kind: str,
    *,
    request: HttpRequest | None,
    user: Any = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    is_user = getattr(user, "is_authenticated", False) or getattr(user, "pk", None) is not None
    return SecurityEvent.objects.create(
        kind=kind,
        user=user if is_user else None,
        username=user.get_username() if is_user else username,
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
    acting_user: Any,
    payload: dict[str, Any],
    province_code: str = "",
    region_code: str = "",
) -> DomainEvent:
    event = _domain_event(kind, actor(acting_user), summary, payload, province_code, region_code)
    event.save()
    return event


def record_domain_events(
    events: Sequence[tuple[str, str, dict[str, Any], str]], *, acting_user: Any
) -> list[DomainEvent]:
    """``record_domain_event`` of many events (kind, summary, payload, province code) in one
    INSERT."""
    who = actor(acting_user)
    return DomainEvent.objects.bulk_create(
        _domain_event(kind, who, summary, payload, province_code, "")
        for kind, summary, payload, province_code in events
    )
