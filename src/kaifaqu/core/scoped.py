"""Static typing for ``restrict(user, action)``, the method every business model's queryset has.

The scoped managers live in ``access`` and the apps (``access/scope.py``); generic code that holds
a model's queryset as a plain ``QuerySet`` reaches the method through here, so type checking
still sees what comes back.
"""

from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    # Only the type: ``access`` builds on this framework, which imports nothing of it.
    from kaifaqu.access.users import ActingUser

M = TypeVar("M", bound=Model)


class _Scoped(Protocol):
    def restrict(self, user: "ActingUser", action: str = "view") -> QuerySet[Any]: ...


def restricted(queryset: QuerySet[M], user: "ActingUser", action: str = "view") -> QuerySet[M]:
    """``queryset.restrict(user, action)``: the rows of ``queryset`` inside the user's scope."""
    return cast(QuerySet[M], cast(_Scoped, queryset).restrict(user, action))
