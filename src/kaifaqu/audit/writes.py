"""The generic write under every action: one transaction, validation, scope check, change log."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.log import log_change, log_changes, snapshot, stored_snapshot
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
    return _save_logged(instance, acting_user, m2m or {}, access_policy().ensure_in_scope)


def save_decided(instance: M, *, acting_user: "ActingUser") -> M:
    """Validate, save and log ``instance`` like ``audited_save``, for a write whose caller's own
    rule has decided who may make it: the writer may be someone who cannot change the object (an
    enterprise filing, rating or adding a file to its own request; a unit handing an item back,
    which then is no longer its work), so the check of the change scope does not apply."""
    return _save_logged(instance, acting_user, {}, None)


def _save_logged(
    instance: M,
    acting_user: "ActingUser",
    m2m: dict[str, Iterable[Any]],
    ensure_in_scope: Callable[[models.Model, "ActingUser"], None] | None,
) -> M:
    with transaction.atomic():
        before = stored_snapshot(instance)
        if before is not None and ensure_in_scope is not None:
            ensure_in_scope(type(instance)._base_manager.get(pk=instance.pk), acting_user)
        instance.full_clean()
        instance.save()
        for name, values in m2m.items():
            getattr(instance, name).set(values)
        if ensure_in_scope is not None:
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


def _clean_all(objects: Sequence[models.Model]) -> None:
    """``full_clean`` of a set in a number of queries that does not grow with it: the fields
    each object alone, the references one query per relation for the whole set. Uniqueness is
    left to the database's constraints (checked per object it took a query each), so a
    duplicate raises ``IntegrityError`` instead of ``ValidationError``."""
    model = type(objects[0])
    # every relation, also those without a column of their own (a join on a date), which
    # ``clean_fields`` would read object by object
    excluded = [f.name for f in model._meta.fields if f.is_relation]
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    for instance in objects:
        instance.full_clean(exclude=excluded, validate_unique=False, validate_constraints=False)
    for field in relations:
        values = {getattr(o, field.attname) for o in objects}
        if None in values and not field.null:
            raise ValidationError({field.name: field.error_messages["null"]})
        target: Any = field.remote_field
        found = target.model._base_manager.filter(
            **{f"{target.field_name}__in": values - {None}}
        ).values_list(target.field_name, flat=True)
        missing = values - {None} - set(found)
        if missing:
            raise ValidationError({field.name: f"{field.verbose_name}不存在:{sorted(missing)}"})


def _joined(objects: Sequence[models.Model]) -> None:
    """Read at once the rows that relations without a column of their own (a join on a date)
    reach, which the snapshots would otherwise read object by object."""
    model = type(objects[0])
    joins = [f.name for f in model._meta.fields if f.is_relation and not f.concrete]
    if joins:
        models.prefetch_related_objects(list(objects), *joins)


def _derive(objects: Sequence[models.Model]) -> list[str]:
    """What ``save()`` would derive (a regional row's province code), for writes that bypass
    it: a model that derives fields says so in ``derive_fields()``, which returns their names."""
    names: list[str] = []
    for instance in objects:
        derive = getattr(instance, "derive_fields", None)
        if derive is not None:
            names = derive()
    return names


def audited_bulk_create(instances: Iterable[M], *, acting_user: "ActingUser") -> list[M]:
    """``audited_save`` of many new objects of one model, in a number of queries that does not
    grow with them: validated (``_clean_all``), inserted at once, their scope checked in one
    restricted query, one change-log row per object written in one INSERT. If any object is
    outside the writer's scope, PermissionDenied is raised and nothing is written."""
    objects = list(instances)
    if not objects:
        return objects
    model = type(objects[0])
    with transaction.atomic():
        _derive(objects)
        _clean_all(objects)
        model._base_manager.bulk_create(objects)
        access_policy().ensure_all_in_scope(model, [o.pk for o in objects], acting_user)
        _joined(objects)
        empty: dict[str, dict[Any, list[Any]]] = {
            f.name: {o.pk: [] for o in objects} for f in model._meta.many_to_many
        }
        log_changes(
            [(o, None, _snapshot_as(o, {}, empty)) for o in objects],
            action=ChangeAction.CREATE,
            acting_user=acting_user,
        )
    return objects


def audited_bulk_update(
    instances: Iterable[M],
    fields: Sequence[str],
    *,
    acting_user: "ActingUser",
    m2m: Mapping[str, Mapping[Any, Iterable[Any]]] | None = None,
) -> list[M]:
    """``audited_save`` of changes to many stored objects of one model (``fields`` and, in
    ``m2m``, many-to-many values by object key, for the objects whose values change), in a
    number of queries that does not grow with them: the stored rows read and their scope
    checked at once before and after the write, one change-log row per object (before and
    after) in one INSERT. If any object is or would be outside the writer's scope,
    PermissionDenied is raised and nothing is written."""
    objects = list(instances)
    if not objects:
        return objects
    model = type(objects[0])
    pks = [o.pk for o in objects]
    policy = access_policy()
    m2m = m2m or {}
    with transaction.atomic():
        stored = model._base_manager.filter(pk__in=pks).prefetch_related(
            *[f.name for f in model._meta.many_to_many]
        )
        stored_by_pk = {row.pk: row for row in stored}
        if stored_by_pk:
            _joined(list(stored_by_pk.values()))
        before = {pk: snapshot(row) for pk, row in stored_by_pk.items()}
        policy.ensure_all_in_scope(model, pks, acting_user)
        derived = _derive(objects)
        _clean_all(objects)
        model._base_manager.bulk_update(objects, [*fields, *derived])
        for name, values in m2m.items():
            _set_many(model, name, values)
        policy.ensure_all_in_scope(model, pks, acting_user)
        _joined(objects)
        after = {
            o.pk: _snapshot_as(o, getattr(stored_by_pk[o.pk], "_prefetched_objects_cache", {}), m2m)
            for o in objects
        }
        log_changes(
            [(o, before[o.pk], after[o.pk]) for o in objects],
            action=ChangeAction.UPDATE,
            acting_user=acting_user,
        )
    return objects


def _snapshot_as(
    instance: models.Model,
    read: dict[str, Any],
    m2m: Mapping[str, Mapping[Any, Iterable[Any]]],
) -> dict[str, Any]:
    """The snapshot of ``instance`` after the write without a query: its many-to-many values
    are those written (where ``m2m`` sets them for it), or else those ``read`` (prefetched
    with the stored row)."""
    cached = getattr(instance, "_prefetched_objects_cache", None)
    instance._prefetched_objects_cache = read | {  # type: ignore[attr-defined]
        name: _evaluated(type(instance), name, values[instance.pk])
        for name, values in m2m.items()
        if instance.pk in values
    }
    try:
        return snapshot(instance)
    finally:
        if cached is None:
            del instance._prefetched_objects_cache  # type: ignore[attr-defined]
        else:
            instance._prefetched_objects_cache = cached  # type: ignore[attr-defined]


def _evaluated(
    model: type[models.Model], name: str, related: Iterable[Any]
) -> models.QuerySet[Any]:
    """A queryset holding ``related`` as its result, as a prefetch leaves it."""
    field: Any = model._meta.get_field(name)
    queryset: models.QuerySet[Any] = field.related_model._base_manager.all()
    queryset._result_cache = list(related)
    queryset._prefetch_done = True  # type: ignore[attr-defined]
    return queryset


def _set_many(model: type[models.Model], name: str, values: Mapping[Any, Iterable[Any]]) -> None:
    """Set a many-to-many field of many objects: their rows replaced in two queries."""
    field = model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()  # type: ignore[union-attr]
    through._base_manager.filter(**{f"{source}__in": list(values)}).delete()
    through._base_manager.bulk_create(
        through(**{f"{source}_id": pk, f"{target}_id": related.pk})
        for pk, related_set in values.items()
        for related in related_set
    )
