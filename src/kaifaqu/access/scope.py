"""Who sees what, in one place: every scoped queryset filters by a condition built here.

Regional rows (``RegionalModel``, ``Model.objects.restrict(user, action)``): a model names the path
from itself to its zone in ``scope_zone_path`` ("" for Zone itself) and, if enterprise users may see
it, to its enterprise in ``scope_enterprise_path`` (and in ``scope_enterprise_when`` what else an
enterprise's row must meet to be shown to it); it carries ``province_code``. A user whose
business role is bound to a province sees rows of that province, one bound to a city or county sees
rows whose zone lies in it, one bound to zones sees those zones, an enterprise user sees its own
enterprise's rows. Superusers see everything; anonymous users and users without a business role (the
three administrators, unless also given one) see nothing.

The other kinds of rows have their condition here too: rows naming a jurisdiction (亩均 schemes and
runs, ``jurisdiction_condition``), rows owned by an office (assessment frameworks,
``office_owned_condition``), runs over regional rows (``run_condition``), publications and their
audiences (``audience_condition``), rows owned by the user who made them (jobs, import batches,
``owner_condition``), rows addressed to one user (notifications, ``addressee_condition``), the
divisions a bureau may place zones in (``regions_within_condition``), the zones a summary shows
(``summary_zone_ids``), the registry of government units (``unit_condition``) and the work
assigned to units (``assigned_work_condition``). How a division code reads is ``Region``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet

from kaifaqu.access.choices import Binding, RoleKind
from kaifaqu.access.users import ActingUser, account
from kaifaqu.catalog.choices import RegionLevel

if TYPE_CHECKING:
    from kaifaqu.access.models import Profile
    from kaifaqu.catalog.models import Region

NOTHING = Q(pk__in=[])
_CACHE_ATTRIBUTE = "_kaifaqu_profile"


def user_profile(user: ActingUser) -> Profile | None:
    """The user's profile (roles and binding), loaded once per user object, so once per request."""
    if isinstance(user, AnonymousUser):
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


def has_business_role(user: ActingUser, action: str = "view") -> bool:
    """Whether the user holds a business role that allows ``action`` (superusers always do)."""
    if getattr(user, "is_superuser", False):
        return True
    return _acting(user, action) is not None


def _acting(user: ActingUser, action: str) -> tuple[Profile, str] | None:
    """The user's profile and its role's binding if the role allows ``action``, else None."""
    profile = user_profile(user)
    if profile is None or profile.role is None or not profile.role.allows(action):
        return None
    return profile, profile.role.binding


def _is_active_superuser(user: ActingUser) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def _prefix(path: str) -> str:
    return f"{path}__" if path else ""


def region_condition(region: Region, *, province_field: str, code_field: str) -> Q:
    """Rows of ``region``: by province code for a province, by division-code prefix below it."""
    if region.level == RegionLevel.PROVINCE:
        return Q(**{province_field: region.code})
    return Q(**{f"{code_field}__startswith": region.code_prefix})


def _covering_codes(region: Region) -> set[str]:
    """A division's code and the codes of the divisions above it."""
    return {*region.ancestor_codes(), region.code}


def office_region_codes(user: ActingUser) -> set[str]:
    """Division codes a user sits in or under: its region, its zones' or its enterprise's."""
    profile = user_profile(user)
    if profile is None or profile.role is None:
        return set()
    if profile.role.binding == Binding.REGION and profile.region is not None:
        return _covering_codes(profile.region)
    if profile.role.binding == Binding.ZONE:
        return {c for z in profile.zones.all() for c in _covering_codes(z.region)}
    if profile.enterprise is not None:
        return _covering_codes(profile.enterprise.zone.region)
    return set()


def _enterprise_condition(profile: Profile, model: type[models.Model]) -> Q:
    """An enterprise user's rows of ``model``: those of its enterprise (``scope_enterprise_path``)
    that also meet the model's ``scope_enterprise_when``; none if the model names no enterprise."""
    path: str | None = getattr(model, "scope_enterprise_path", None)
    if path is None or profile.enterprise_id is None:
        return NOTHING
    when: Q = getattr(model, "scope_enterprise_when", Q())
    return Q(**{f"{_prefix(path)}pk": profile.enterprise_id}) & when


def scope_filter(user: ActingUser, action: str, model: type[models.Model]) -> Q:
    """The condition a row of ``model`` must meet for ``user`` to perform ``action`` on it."""
    if _is_active_superuser(user):
        return Q()
    acting = _acting(user, action)
    if acting is None:
        return NOTHING
    profile, binding = acting
    zone = _prefix(model.scope_zone_path)  # type: ignore[attr-defined]
    if binding == Binding.ENTERPRISE:
        return _enterprise_condition(profile, model)
    if binding == Binding.ZONE:
        return Q(**{f"{zone}pk__in": [z.pk for z in profile.zones.all()]})
    if profile.region is None:
        return NOTHING
    return region_condition(
        profile.region, province_field="province_code", code_field=f"{zone}region__code"
    )


def jurisdiction_condition(user: ActingUser, action: str, model: type[models.Model]) -> Q:
    """Rows naming a jurisdiction (a ``region``, or a ``zone`` in it), such as 亩均 schemes and
    runs, whose jurisdiction overlaps the user's: a region-bound user sees those at or below its
    region; a zone user those covering one of its zones (its province's, city's or county's own,
    or the zone's) and changes only its zones' own; an enterprise user those of its enterprise,
    as the model's ``scope_enterprise_path`` and ``scope_enterprise_when`` say."""
    if _is_active_superuser(user):
        return Q()
    acting = _acting(user, action)
    if acting is None:
        return NOTHING
    profile, binding = acting
    if binding == Binding.REGION and profile.region is not None:
        prefix = profile.region.code_prefix
        return Q(region__code__startswith=prefix) | Q(zone__region__code__startswith=prefix)
    if binding == Binding.ZONE:
        zones = list(profile.zones.all())
        covering = Q(zone__in=zones)
        if action != "view":
            return covering
        # A division's own rows (no zone) cover the zone; another zone's rows never do, though
        # they name the same division.
        for zone in zones:
            covering |= Q(zone__isnull=True, region__code__in=sorted(_covering_codes(zone.region)))
        return covering
    if binding == Binding.ENTERPRISE:
        return _enterprise_condition(profile, model)
    return NOTHING


def office_owned_condition(user: ActingUser, action: str, *, owner: str) -> Q:
    """Rows owned by an office (the region in ``owner``) or by none (presets): presets are read
    by every business user, an office's own rows by it and the offices under it, and changed by
    the owning office only."""
    if getattr(user, "is_superuser", False):
        return Q()
    acting = _acting(user, action)
    if acting is None:
        return NOTHING
    profile, binding = acting
    if action != "view":
        if binding != Binding.REGION or profile.region is None:
            return NOTHING
        return Q(**{owner: profile.region})
    return Q(**{f"{owner}__isnull": True}) | Q(**{f"{owner}__code__in": office_region_codes(user)})


def run_condition(
    user: ActingUser, action: str, *, results: QuerySet[Any], publications: QuerySet[Any]
) -> Q:
    """Runs over regional rows: visible to the user who started one (``created_by``), to whoever
    may see one of its ``results`` (rows with a ``run_id``), and, to read, to the users its
    ``publication`` is published to (``publications``, already narrowed to the user)."""
    if getattr(user, "is_superuser", False):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    runs = Q(pk__in=results.values("run_id")) | Q(created_by=user)
    if action == "view":
        runs |= Q(publication__in=publications.values("pk"))
    return runs


def audience_condition(user: ActingUser, action: str, *, published: Q, draft: Q) -> Q:
    """Publications: one that is out (``published``) is seen by its ``audience_roles`` in its
    ``audience_regions`` (and the divisions below them); a ``draft`` by the office that wrote it
    (its ``author_region``, or for a zone office its ``author_zone``)."""
    if getattr(user, "is_superuser", False):
        return Q()
    acting = _acting(user, action)
    if acting is None:
        return NOTHING
    profile, binding = acting
    audience = Q(audience_roles=profile.role, audience_regions__code__in=office_region_codes(user))
    if binding == Binding.ZONE:
        office = Q(author_zone__in=list(profile.zones.all()))
    else:
        office = Q(author_region=profile.region, author_zone__isnull=True)
    return (published & audience) | (draft & office)


def owner_condition(user: ActingUser, *, owner: str) -> Q:
    """Rows that belong to the user who made them (a job, an uploaded file); superusers see all."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if user.is_superuser:
        return Q()
    return Q(**{owner: user})


def addressee_condition(user: ActingUser, *, addressee: str) -> Q:
    """Rows addressed to one user (a notification): that user's alone. Unlike an owned row, a
    superuser is no exception: an inbox is personal, and its unread count would be everyone's."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    return Q(**{addressee: user})


def summary_zone_ids(user: ActingUser) -> list[int] | None:
    """Zones whose figures a user may see in a summary over a jurisdiction it reads (a 亩均 run's
    dashboard): None for all (a superuser, a division's office), a zone office's own zones, and
    none for anyone else."""
    if getattr(user, "is_superuser", False):
        return None
    profile = user_profile(user)
    if profile is None or profile.role is None:
        return []
    if profile.role.binding == Binding.REGION:
        return None
    if profile.role.binding == Binding.ZONE:
        return [z.pk for z in profile.zones.all()]
    return []


def regions_within_condition(user: ActingUser, action: str) -> Q:
    """Divisions (rows of ``Region``) inside a region-bound user's region, where it may place
    zones; none for zone and enterprise users."""
    if getattr(user, "is_superuser", False):
        return Q()
    acting = _acting(user, action)
    if acting is None:
        return NOTHING
    profile, binding = acting
    if binding != Binding.REGION or profile.region is None:
        return NOTHING
    return region_condition(profile.region, province_field="province_code", code_field="code")


def member_unit_ids(user: ActingUser) -> QuerySet[Any]:
    """The units a signed-in user is a member of (granted by the security administrator)."""
    memberships: QuerySet[Any] = account(user).unit_memberships.all()
    return memberships.values("unit_id")


def unit_condition(user: ActingUser, action: str) -> Q:
    """Government units (单位): the system administrator keeps the whole registry and the
    security administrator reads it (to grant membership); business users read the units of
    their divisions, those above them and, for a region-bound office, those below, and the units
    they are members of. Enterprise users see none; no business user changes the registry."""
    if _is_active_superuser(user):
        return Q()
    profile = user_profile(user)
    admin = profile.admin_role.kind if profile and profile.admin_role else None
    if admin == RoleKind.SYSTEM_ADMIN or (admin == RoleKind.SECURITY_ADMIN and action == "view"):
        return Q()
    acting = _acting(user, action)
    if action != "view" or acting is None or acting[1] == Binding.ENTERPRISE:
        return NOTHING
    profile, binding = acting
    units = Q(region__code__in=office_region_codes(user)) | Q(pk__in=member_unit_ids(user))
    if binding == Binding.REGION and profile.region is not None:
        units |= region_condition(
            profile.region, province_field="province_code", code_field="region__code"
        )
    if binding == Binding.ZONE:
        units |= Q(zone__in=list(profile.zones.all()))
    return units


def assigned_work_condition(
    user: ActingUser, action: str, model: type[models.Model], *, members: bool = True
) -> Q:
    """Work assigned to units (supervised items, with ``region``, ``zone``, ``lead_unit`` and
    ``supporting_units``): a region-bound office sees the items of its region and below, a zone
    office its zones' items, and (unless ``members`` is False, for the supervisor's own acts)
    the members of an item's lead or supporting unit see the item wherever it lies. Enterprise
    users see none here."""
    if _is_active_superuser(user):
        return Q()
    acting = _acting(user, action)
    if acting is None or acting[1] == Binding.ENTERPRISE:
        return NOTHING
    profile, binding = acting
    work = NOTHING
    if members:
        units = member_unit_ids(user)
        supporting = model._default_manager.filter(supporting_units__in=units).values("pk")
        work = Q(lead_unit__in=units) | Q(pk__in=supporting)
    if binding == Binding.REGION and profile.region is not None:
        work |= region_condition(
            profile.region, province_field="province_code", code_field="region__code"
        )
    if binding == Binding.ZONE:
        work |= Q(zone__in=list(profile.zones.all()))
    return work


class RestrictedQuerySet(models.QuerySet[Any]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(scope_filter(user, action, self.model))


RestrictedManager = models.Manager.from_queryset(RestrictedQuerySet)


def ensure_in_scope(instance: models.Model, user: ActingUser, action: str = "change") -> None:
    """Raise PermissionDenied unless ``instance`` (as saved) is inside ``user``'s scope.

    Called inside the write's transaction after saving, so a write that moved an object out of
    the writer's scope is rolled back.
    """
    manager: Any = type(instance)._default_manager
    if not hasattr(manager, "restrict"):
        return  # reference data (regions, industries, tags) is not regional
    if not manager.restrict(user, action).filter(pk=instance.pk).exists():
        raise PermissionDenied("该对象不在您的数据范围内")


def ensure_all_in_scope(
    model: type[models.Model], pks: Sequence[Any], user: ActingUser, action: str = "change"
) -> None:
    """``ensure_in_scope`` of a set of saved objects, in one query."""
    manager: Any = model._default_manager
    if not hasattr(manager, "restrict"):
        return
    if manager.restrict(user, action).filter(pk__in=pks).count() != len(set(pks)):
        raise PermissionDenied("该对象不在您的数据范围内")
