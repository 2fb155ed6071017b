"""Recording writes in the change log. Actions call these inside their transaction."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import models

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.context import current_context
from kaifaqu.audit.models import ObjectChange
from kaifaqu.audit.snapshots import encode_values
from kaifaqu.core.policy import access_policy

if TYPE_CHECKING:
    # Only the type: ``access`` records its own writes here, so it cannot be imported.
    from kaifaqu.access.users import ActingUser

# Never written to the change log, even as hashes.
SECRET_FIELDS = frozenset({"password"})


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The object's fields as the change log's JSON values (``encode_values``), secrets left out."""
    fields = serializers.serialize("python", [instance])[0]["fields"]
    for name in SECRET_FIELDS & fields.keys():
        fields[name] = "(已隐藏)"
    return encode_values(type(instance), fields)


def stored_snapshot(instance: models.Model) -> dict[str, Any] | None:
    """The snapshot of ``instance`` as the database holds it now (None if not saved yet)."""
    if instance.pk is None:
        return None
    stored = type(instance)._base_manager.filter(pk=instance.pk).first()
    return None if stored is None else snapshot(stored)


def actor(user: "ActingUser | None") -> dict[str, Any]:
    account = user if isinstance(user, User) else None
    return {
        "user": account,
        "username": account.get_username() if account is not None else "system",
        "role": access_policy().role_label(user),
    }


def origin(user: "ActingUser | None") -> dict[str, Any]:
    """Who wrote, and from where: what every change-log row of the current request shares."""
    context = current_context()
    return {
        **actor(user),
        "ip": context.ip,
        "channel": context.channel,
        "request_id": context.request_id,
    }


def zone_region_code(instance: models.Model) -> str:
    """The division code of the zone a regional object belongs to ("" for reference data)."""
    path: str | None = getattr(type(instance), "scope_zone_path", None)
    if path is None:
        return ""
    zone: Any = instance
    for name in filter(None, path.split("__")):
        zone = getattr(zone, name)
    return str(zone.region.code)


def _change(
    instance: models.Model,
    who: dict[str, Any],
    action: ChangeAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> ObjectChange:
    return ObjectChange(
        **who,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        province_code=getattr(instance, "province_code", ""),
        region_code=zone_region_code(instance),
        before=before,
        after=after,
    )


def log_change(
    instance: models.Model,
    *,
    action: ChangeAction,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    acting_user: "ActingUser",
) -> ObjectChange:
    change = _change(instance, origin(acting_user), action, before, after)
    change.save()
    return change


def log_changes(
    changes: Sequence[tuple[models.Model, dict[str, Any] | None, dict[str, Any] | None]],
    *,
    action: ChangeAction,
    acting_user: "ActingUser",
) -> list[ObjectChange]:
    """``log_change`` of many objects (each with its before and after) in one INSERT."""
    who = origin(acting_user)
    return ObjectChange.objects.bulk_create(
        _change(instance, who, action, before, after) for instance, before, after in changes
    )


def log_bulk(
    model: type[models.Model],
    *,
    label: str,
    counts: dict[str, int],
    acting_user: "ActingUser | None",
) -> ObjectChange:
    """One entry for a machine-generated batch (demo data, a summary refresh), with its counts;
    ``acting_user`` None is the system."""
    return ObjectChange.objects.create(
        **origin(acting_user),
        action=ChangeAction.BULK,
        content_type=ContentType.objects.get_for_model(model),
        object_id="*",
        object_repr=label[:200],
        before=None,
        after=counts,
    )
