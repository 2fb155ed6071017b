"""The one scope mechanism: ``Model.objects.restrict(user, action)`` on every regional model.

A regional model names the path from itself to its zone in ``scope_zone_path`` ("" for Zone itself)
and, if enterprise users may see it, to its enterprise in ``scope_enterprise_path``; it carries
``province_code``. A user whose business role is bound to a province sees rows of that province, one
bound to a city or county sees rows whose zone lies in it, one bound to zones sees those zones, an
enterprise user sees its own enterprise's rows. Superusers see everything; anonymous users and users
without a business role (the three administrators, unless also given one) see nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from kaifaqu.access.choices import Binding
from kaifaqu.catalog.choices import RegionLevel

if TYPE_CHECKING:
    from kaifaqu.access.models import Profile
    from kaifaqu.catalog.models import Region

NOTHING = Q(pk__in=[])
_CACHE_ATTRIBUTE = "_kaifaqu_profile"


def user_profile(user: Any) -> Profile | None:
    """The user's profile (roles and binding), loaded once per user object, so once per request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE_ATTRIBUTE):
        from kaifaqu.access.models import Profile

        profile = (
            Profile.objects.select_related("role", "admin_role", "region")
            .prefetch_related("zones")
            .filter(user=user)
            .first()
        )
        setattr(user, _CACHE_ATTRIBUTE, profile)
    cached: Profile | None = getattr(user, _CACHE_ATTRIBUTE)
    return cached


def has_business_role(user: Any, action: str = "view") -> bool:
    """Whether the user holds a business role that allows ``action`` (superusers always do)."""
    if getattr(user, "is_superuser", False):
        return True
    profile = user_profile(user)
    return profile is not None and profile.role is not None and profile.role.allows(action)


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def region_condition(region: Region, *, province_field: str, code_field: str) -> Q:
    """Rows of ``region``: by province code for a province, by division-code prefix below it."""
    if region.level == RegionLevel.PROVINCE:
        return Q(**{province_field: region.code})
    code_prefix = region.code[:4] if region.level == RegionLevel.CITY else region.code
    return Q(**{f"{code_field}__startswith": code_prefix})


def scope_filter(user: Any, action: str, model: type[models.Model]) -> Q:
    """The condition a row of ``model`` must meet for ``user`` to perform ``action`` on it."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    profile = user_profile(user)
    if profile is None or profile.role is None or not profile.role.allows(action):
        return NOTHING
    zone = _prefix(model.scope_zone_path)  # type: ignore[attr-defined]
    binding = profile.role.binding
    if binding == Binding.ENTERPRISE:
        path: str | None = getattr(model, "scope_enterprise_path", None)
        if path is None or profile.enterprise_id is None:
            return NOTHING
        return Q(**{f"{_prefix(path)}pk": profile.enterprise_id})
    if binding == Binding.ZONE:
        return Q(**{f"{zone}pk__in": [z.pk for z in profile.zones.all()]})
    if profile.region is None:
        return NOTHING
    return region_condition(
        profile.region, province_field="province_code", code_field=f"{zone}region__code"
    )


class RestrictedQuerySet(models.QuerySet[Any]):
    def restrict(self, user: Any, action: str = "view") -> Self:
        return self.filter(scope_filter(user, action, self.model))


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
