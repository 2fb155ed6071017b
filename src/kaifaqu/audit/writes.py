"""The generic write under every action: one transaction, validation, scope check, change log."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.log import log_change, snapshot, stored_snapshot
from kaifaqu.core.policy import access_policy

if TYPE_CHECKING:
    # Only the type: ``access`` records its own writes here, so it cannot be imported.
    from kaifaqu.access.users import ActingUser

M = TypeVar("M", bound=models.Model)


def audited_save(
    instance: M, *, acting_user: "ActingUser", m2m: dict[str, Iterable[Any]] | None = None
) -> M:
    """Validate and save ``instance`` (and its many-to-many values), scoped and logged.

    The object must be inside the writer's scope before the write (if it existed) and after it;
    otherwise PermissionDenied is raised and nothing is written.
    """
    ensure_in_scope = access_policy().ensure_in_scope
    with transaction.atomic():
        before = stored_snapshot(instance)
        if before is not None:
            ensure_in_scope(type(instance)._base_manager.get(pk=instance.pk), acting_user)
        instance.full_clean()
        instance.save()
        for name, values in (m2m or {}).items():
            getattr(instance, name).set(values)
        ensure_in_scope(instance, acting_user)
        log_change(
            instance,
            action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
            before=before,
            after=snapshot(instance),
            acting_user=acting_user,
        )
    return instance


def audited_delete(instance: models.Model, *, acting_user: "ActingUser") -> None:
    with transaction.atomic():
        access_policy().ensure_in_scope(instance, acting_user)
        before = snapshot(instance)
        log_change(
            instance, action=ChangeAction.DELETE, before=before, after=None, acting_user=acting_user
        )
        instance.delete()
