"""Reverting a batch from its change-log rows: created objects deleted, updated ones restored."""

import uuid
from typing import Any

from django.db import models

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.models import ObjectChange
from kaifaqu.audit.writes import audited_delete, audited_save


def revert_changes(request_id: uuid.UUID, *, acting_user: Any) -> int:
    from kaifaqu.intake.actions import UndoRefused

    changes = list(
        ObjectChange.objects.filter(request_id=request_id)
        .exclude(action=ChangeAction.BULK)
        .select_related("content_type")
        .order_by("-id")
    )
    later = _later_changes(changes)
    if later:
        raise UndoRefused(f"有{later}个对象在本次导入之后又被修改过,不能撤销;请先撤销之后的修改")
    for change in changes:
        model = change.content_type.model_class()
        assert model is not None
        obj = model._default_manager.get(pk=change.object_id)
        if change.action == ChangeAction.CREATE:
            audited_delete(obj, acting_user=acting_user)
        else:
            _restore(obj, change.before or {})
            m2m = {n: v for n, v in (change.before or {}).items() if _is_m2m(model, n)}
            audited_save(obj, acting_user=acting_user, m2m=m2m)
    return len(changes)


def _later_changes(changes: list[ObjectChange]) -> int:
    """How many of the batch's objects were written again after it."""
    if not changes:
        return 0
    keys = {(c.content_type_id, c.object_id) for c in changes}
    later = ObjectChange.objects.filter(
        pk__gt=max(c.pk for c in changes),
        content_type_id__in={c for c, _ in keys},
        object_id__in={o for _, o in keys},
    ).values_list("content_type_id", "object_id")
    return len({key for key in later if key in keys})


def _is_m2m(model: type[models.Model], name: str) -> bool:
    return model._meta.get_field(name).many_to_many


def _restore(obj: models.Model, before: dict[str, Any]) -> None:
    for name, value in before.items():
        field = obj._meta.get_field(name)
        if field.many_to_many:
            continue
        setattr(obj, field.attname, None if value is None else field.to_python(value))
