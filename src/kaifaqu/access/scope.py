"""The one scope mechanism: ``Model.objects.restrict(user, action)`` on every regional model.

A regional model names the path from itself to its zone in ``scope_zone_path`` ("" for Zone itself)
and carries ``province_code``. A user bound to a province sees rows of that province, one bound to a
city or county sees rows whose zone lies in it, one bound to zones sees those zones. Superusers see
everything; anonymous users and users without a scope see nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from kaifaqu.access.choices import Binding
from kaifaqu.catalog.choices import RegionLevel

if TYPE_CHECKING:
    from kaifaqu.access.models import UserScope

NOTHING = Q(pk__in=[])
_CACHE_ATTRIBUTE = "_kaifaqu_scope"


def user_scope(user: Any) -> UserScope | None:
    """The user's scope, loaded once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTRIBUTE):
        from kaifaqu.access.models import UserScope

        scope = (
            UserScope.objects.select_related("role", "region")
            .prefetch_related("zones")
            .filter(user=user)
            .first()
        )
        setattr(user, _CACHE_ATTRIBUTE, scope)
    scope_or_none: UserScope | None = getattr(user, _CACHE_ATTRIBUTE)
    return scope_or_none


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def scope_filter(user: Any, action: str, zone_path: str) -> Q:
    """The condition a row must meet for ``user`` to perform ``action`` on it."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    scope = user_scope(user)
    if scope is None or not scope.role.allows(action):
        return NOTHING
    zone = _prefix(zone_path)
    if scope.role.binding == Binding.ZONE:
        zone_ids = [z.pk for z in scope.zones.all()]
        return Q(**{f"{zone}pk__in" if zone else "pk__in": zone_ids})
    region = scope.region
    if region is None:
        return NOTHING
    if region.level == RegionLevel.PROVINCE:
        return Q(province_code=region.code)
    code_prefix = region.code[:4] if region.level == RegionLevel.CITY else region.code
    return Q(**{f"{zone}region__code__startswith": code_prefix})


class RestrictedQuerySet(models.QuerySet[Any]):
    def restrict(self, user: Any, action: str = "view") -> Self:
        path: str = self.model.scope_zone_path
        return self.filter(scope_filter(user, action, path))


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


def ensure_in_scope(instance: models.Model, user: Any, action: str = "change") -> None:
    """Raise PermissionDenied unless ``instance`` (as saved) is inside ``user``'s scope.

    Called inside the write's transaction after saving, so a write that moved an object out of
    the writer's scope is rolled back.
    """
    manager: Any = type(instance)._default_manager
    if not hasattr(manager, "restrict"):
        return  # reference data (regions, industries, tags) is not regional
    if not manager.restrict(user, action).filter(pk=instance.pk).exists():
        raise PermissionDenied("该对象不在您的数据范围内")
