"""The type of the user an action acts for."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

# Every write's ``acting_user``: a request's user (``AUTH_USER_MODEL`` is Django's own ``User``).
# Login is required before any action runs, but a request's user is typed as possibly anonymous
# (the middleware decides, not the type checker); an anonymous user holds no role and no scope,
# so every action's permission check refuses it.
ActingUser: TypeAlias = User | AnonymousUser


def account(user: ActingUser) -> User:
    """The account ``user`` is, to record as who did something; an anonymous user is refused
    (the actions' permission checks refuse it first)."""
    if isinstance(user, AnonymousUser):
        raise PermissionDenied("请先登录")
    return user
