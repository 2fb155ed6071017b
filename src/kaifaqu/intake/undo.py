"""Reverting a batch from its change-log rows: created objects deleted, updated ones restored.

Set-based, like the import itself: the batch's log rows are read a chunk at a time (newest first,
as they are undone), and per content type the objects of a chunk are checked against the user's
scope, logged and deleted or restored in a few statements, through the importer's columns and
``writing``'s pieces (its ``before`` snapshots are the import's own JSON, decoded by Polars). An
undo of 100,000 rows costs a few queries per chunk, never one per object.
"""

import uuid
from collections.abc import Iterator
from typing import Any, Protocol

import polars as pl
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.db.models.deletion import ProtectedError, RestrictedError
from django.db.models.functions import Cast

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.models import ObjectChange
from kaifaqu.core.bulk import field_dtype, typed
from kaifaqu.intake.actions import UndoRefused
from kaifaqu.intake.importers import IMPORTERS, Importer, chunks, model_field
from kaifaqu.intake.writing import (
    ChangeLogRows,
    aligned,
    as_written,
    stored_rows,
    update_rows,
)
from kaifaqu.zones.models import ZoneYearSummary

CHUNK = 10_000  # change-log rows read, and objects reverted, at a time
GONE = "有{n}个对象已不存在或不在您的数据范围内,不能撤销"
OUT_OF_SCOPE_AFTER = "撤销后有{n}个对象将不在您的数据范围内,不能撤销"
REFERENCED = "本次导入新增的{what}已被其他数据引用({found}),不能撤销;请先撤销或删除这些数据"
REFERENCED_SINCE = "本次导入新增的对象在撤销时被其他数据引用,不能撤销"
# Derived rows a job rebuilds from the data: they go with the object they summarise.
REBUILT: tuple[type[models.Model], ...] = (ZoneYearSummary,)
LOG_SCHEMA = {
    "_id": pl.Int64,
    "content_type_id": pl.Int64,
    "action": pl.String,
    "_pk": pl.String,
    "_repr": pl.String,
    "before": pl.String,
}


class ProgressReport(Protocol):
    """What the undo reports its progress to (a job's ``Progress``)."""

    def start(self, total: int | None, message: str) -> None: ...

    def advance(self, step: int = 1, message: str | None = None) -> None: ...


def revert_changes(
    request_id: uuid.UUID, *, acting_user: ActingUser, progress: ProgressReport | None = None
) -> int:
    """Undo what was logged under ``request_id``, in the caller's transaction; returns how many
    objects were reverted. Raises UndoRefused, having changed nothing, if it cannot."""
    changes = ObjectChange.objects.filter(request_id=request_id).exclude(action=ChangeAction.BULK)
    summary = changes.aggregate(last=Max("pk"), total=Count("pk"))
    later = _later_changes(changes, summary["last"])
    if later:
        raise UndoRefused(f"有{later}个对象在本次导入之后又被修改过,不能撤销;请先撤销之后的修改")
    total: int = summary["total"]
    if progress is not None:
        progress.start(total, f"正在撤销 {total:,} 个对象")
    logs: dict[int, ChangeLogRows] = {}
    done = 0
    for chunk in _chunks(changes):
        for (content_type_id,), group in chunk.group_by("content_type_id", maintain_order=True):
            if content_type_id not in logs:
                logs[content_type_id] = _log(content_type_id, acting_user)
            _revert(logs[content_type_id], group)
        done += chunk.height
        if progress is not None:
            progress.advance(chunk.height, f"已撤销 {done:,} / {total:,} 个对象")
    return total


def _later_changes(changes: QuerySet[ObjectChange], last: int | None) -> int:
    """How many of the batch's objects were written again after it: one query, probing each of
    the batch's objects for a newer row (the change log's index on content type and object)."""
    if last is None:
        return 0
    newer = ObjectChange.objects.filter(
        content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id"), pk__gt=last
    )
    written_again = changes.filter(Exists(newer)).values("content_type_id", "object_id")
    return written_again.distinct().count()


def _chunks(changes: QuerySet[ObjectChange]) -> Iterator[pl.DataFrame]:
    """The log rows, newest first, ``CHUNK`` at a time (keyset: each read starts below the last).
    ``before`` comes as its text, for Polars to decode, not through ``json.loads`` per row."""
    names = ["pk", "content_type_id", "action", "object_id", "object_repr", "before_text"]
    rows = changes.annotate(before_text=Cast("before", models.TextField())).order_by("-pk")
    below: int | None = None
    while True:
        page = rows if below is None else rows.filter(pk__lt=below)
        chunk = list(page.values_list(*names)[:CHUNK])
        if chunk:
            frame = pl.DataFrame(chunk, schema=LOG_SCHEMA, orient="row")
            yield frame.with_columns(pl.col("_pk").cast(pl.Int64))
        if len(chunk) < CHUNK:
            return
        below = chunk[-1][0]


def _log(content_type_id: int, acting_user: ActingUser) -> ChangeLogRows:
    """The undo's change log for one content type, written as the acting user."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    importer = next(kind for kind in IMPORTERS.values() if kind.model is model)
    return ChangeLogRows(importer(acting_user))


def _revert(log: ChangeLogRows, group: pl.DataFrame) -> None:
    """Revert a chunk's objects of one content type. Updates first: were an object created and
    updated by the batch, the newer update is undone before the creation, as one by one."""
    importer = log.importer
    updates = group.filter(pl.col("action") == ChangeAction.UPDATE.value)
    if updates.height:
        _ensure_in_scope(importer, updates, GONE)
        current = aligned(stored_rows(importer, updates), updates).with_columns(updates["_repr"])
        restored = _restored(importer, updates, current)
        log.write(ChangeAction.UPDATE, restored, current)
        update_rows(importer, restored)
        _ensure_in_scope(importer, updates, OUT_OF_SCOPE_AFTER)
    creates = group.filter(pl.col("action") == ChangeAction.CREATE.value)
    if creates.height:
        _ensure_in_scope(importer, creates, GONE)
        current = aligned(stored_rows(importer, creates), creates).with_columns(creates["_repr"])
        pks = creates["_pk"].to_list()
        _ensure_unreferenced(importer, pks)
        log.write(ChangeAction.DELETE, current, current)  # before the delete: a zone's region
        _delete(importer, pks)


def _ensure_in_scope(importer: Importer, rows: pl.DataFrame, message: str) -> None:
    """Refuse unless every object of ``rows`` exists inside the acting user's scope, as the
    one-by-one writes checked each; a count per chunk, not a query per object."""
    manager: Any = importer.model._default_manager
    pks = rows["_pk"].to_list()
    found = sum(
        manager.restrict(importer.user, "change").filter(pk__in=part).count()
        for part in chunks(pks)
    )
    if found != len(pks):
        raise UndoRefused(message.format(n=len(pks) - found))


def _restored(importer: Importer, rows: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    """The objects as their ``before`` snapshots hold them (every field the importer writes,
    as ``writing.snapshots`` made them), with what the snapshots leave out (where each object
    belongs, what names it) as stored now."""
    names = [*importer.fields, *importer.m2m_fields]
    fields = [model_field(importer.model, name) for name in names]
    schema = pl.Struct({field.name: _snapshot_dtype(field) for field in fields})
    decoded = rows.select("_pk", pl.col("before").str.json_decode(schema)).unnest("before")
    typed = decoded.select("_pk", *(_typed(field) for field in fields))
    return as_written(importer, typed, current).with_columns(rows["_repr"])


def _snapshot_dtype(field: models.Field[Any, Any]) -> Any:
    """How a snapshot's JSON holds a field: decimals and dates as text, id lists for links."""
    if isinstance(field, models.DecimalField | models.DateField):
        return pl.String
    return field_dtype(field)


def _typed(field: models.Field[Any, Any]) -> pl.Expr:
    """A snapshot's column as ``writing`` holds the stored values, under the field's attname."""
    return typed(pl.col(field.name), field).alias(field.attname)


def _ensure_unreferenced(importer: Importer, pks: list[int]) -> None:
    """Refuse unless nothing else points at the created objects: a delete would cascade to it
    (yearly figures, events, assessment rows entered since) unlogged, or be refused (points
    granted, a user's zones). One count per relation and part; ``REBUILT`` rows do not count, nor
    the object's own links (its many-to-many through rows)."""
    found = []
    for relation in _references(importer.model):
        related = relation.related_model
        manager: Any = related._base_manager
        lookup = f"{relation.remote_field.name}__in"
        count = sum(manager.filter(**{lookup: part}).distinct().count() for part in chunks(pks))
        if count:
            found.append(f"{related._meta.verbose_name} {count:,} 条")
    if found:
        what = importer.model._meta.verbose_name
        raise UndoRefused(REFERENCED.format(what=what, found="、".join(found)))


def _references(model: type[models.Model]) -> list[Any]:
    """Every relation pointing at ``model``, hidden ones (``related_name="+"``) included."""
    return [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if field.is_relation
        and field.auto_created
        and not field.concrete
        and field.related_model is not None
        and not field.related_model._meta.auto_created
        and field.related_model not in REBUILT
    ]


def _delete(importer: Importer, pks: list[int]) -> None:
    """Delete the created objects through Django's collector, which removes their many-to-many
    links (and the rows ``REBUILT`` from them) in a few statements per part. A reference made
    since the check (another writer) is refused by the database or the collector as ever."""
    manager = importer.model._default_manager
    try:
        for part in chunks(pks):
            manager.filter(pk__in=part).delete()
    except (ProtectedError, RestrictedError) as error:
        raise UndoRefused(REFERENCED_SINCE) from error
