"""Security events from Django's and django-axes' authentication signals (connected in apps.py)."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest

from kaifaqu.audit.choices import SecurityEventKind
from kaifaqu.audit.events import record_security_event


def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_security_event(SecurityEventKind.LOGIN, request=request, user=user)


def on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_security_event(SecurityEventKind.LOGOUT, request=request, user=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record_security_event(
        SecurityEventKind.LOGIN_FAILED, request=request, username=credentials.get("username", "")
    )


def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any
) -> None:
    record_security_event(SecurityEventKind.LOCKED_OUT, request=request, username=username or "")
