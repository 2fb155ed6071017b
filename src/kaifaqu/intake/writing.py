"""The plan of an import against the database (insert, update, unchanged) and its writing.

Both work on the importer's columns (``Importer.values``), a chunk of rows at a time: the stored
rows a chunk may match are fetched by natural key, compared as change-log snapshots (JSON built by
Polars, so equal values give equal text: 12.50 = 12.5), and the rows to write go to the database
as plain tuples with their change-log rows, one per object, which ``undo`` replays. Memory holds the
typed columns of the file and one chunk of Python values, never a model instance per row.
"""

from dataclasses import dataclass
from typing import Any

import polars as pl
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.utils import timezone

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.log import origin
from kaifaqu.audit.models import ObjectChange
from kaifaqu.audit.snapshots import snapshot_json
from kaifaqu.core.bulk import field_dtype, insert_frame, new_ids, read_frame, update_frame
from kaifaqu.intake.importers import Importer, chunks, lookup_frame, model_field
from kaifaqu.zones.models import Zone

CHUNK = 10_000  # rows written (and held as Python values) at a time
LOG_COLUMNS = (
    "time",
    "user_id",
    "username",
    "role",
    "ip",
    "channel",
    "request_id",
    "content_type_id",
    "action",
    "object_id",
    "object_repr",
    "province_code",
    "region_code",
    "before",
    "after",
)


@dataclass
class Plan:
    """The valid rows as model columns, with ``_pk`` (the stored row's, null: insert) and
    ``_changed`` (an insert, or an update that changes something); ``stored``: the stored values
    of the rows an update changes, as the comparison read them (typed columns: the write and
    its change log use them instead of reading them again)."""

    rows: pl.DataFrame
    stored: pl.DataFrame | None = None

    @property
    def counts(self) -> dict[str, int]:
        inserts = int(self.rows["_pk"].null_count())
        changed = int(self.rows["_changed"].sum())
        return {
            "insert": inserts,
            "update": changed - inserts,
            "unchanged": self.rows.height - changed,
        }


def plan(importer: Importer, valid: pl.DataFrame) -> Plan:
    """What writing ``valid`` (the checked rows without errors) would do; writes nothing."""
    rows = importer.values(valid)
    rows = _rounded_as_stored(importer, rows)
    keys = _stored_keys(importer, rows)
    rows = rows.join(keys, on=list(importer.key_fields), how="left", maintain_order="left")
    changed = [pl.Series("_changed", [], pl.Boolean)]
    kept: list[pl.DataFrame] = []
    for chunk in rows.iter_slices(CHUNK):
        if chunk["_pk"].null_count() == chunk.height:  # all new: nothing to compare
            changed.append(pl.repeat(True, chunk.height, eager=True))
            continue
        stored = stored_rows(importer, chunk)
        after = snapshots(importer, as_written(importer, chunk, stored))
        before = snapshots(importer, aligned(stored, chunk))
        differs = after != before
        changed.append(chunk["_pk"].is_null() | differs)
        updated = chunk.filter(chunk["_pk"].is_not_null() & differs).select("_pk")
        kept.append(stored.join(updated, on="_pk", how="semi"))
    flags = pl.concat(changed).alias("_changed")
    return Plan(rows.with_columns(flags), pl.concat(kept) if kept else None)


def aligned(stored: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The stored values in the order of ``rows`` (nulls for a row with nothing stored)."""
    return rows.select("_pk").join(stored, on="_pk", how="left", maintain_order="left")


def write(importer: Importer, plan: Plan) -> None:
    """Insert, update and log the planned rows, a chunk at a time, in the caller's transaction."""
    log = ChangeLogRows(importer)
    for chunk in plan.rows.filter("_changed").iter_slices(CHUNK):
        inserts = chunk.filter(pl.col("_pk").is_null())
        if inserts.height:
            inserts = _insert(importer, inserts)
            log.write(ChangeAction.CREATE, inserts, None)
        updates = chunk.filter(pl.col("_pk").is_not_null())
        if updates.height:
            assert plan.stored is not None  # the comparison found these changed
            stored = plan.stored.join(updates.select("_pk"), on="_pk", how="semi")
            after = as_written(importer, updates, stored)
            update_rows(importer, updates)
            log.write(ChangeAction.UPDATE, after, aligned(stored, updates))


def _rounded_as_stored(importer: Importer, rows: pl.DataFrame) -> pl.DataFrame:
    """Decimals rounded half up to their field's places, floats as floats: as they are stored,
    so a re-import compares equal."""
    for name in rows.columns:
        field = _field(importer.model, name)
        if isinstance(field, models.DecimalField):
            places = field.decimal_places
            rounded = pl.col(name).round(places, mode="half_away_from_zero")
            rows = rows.with_columns(rounded.cast(pl.Decimal(38, places)))
        elif isinstance(field, models.FloatField):
            rows = rows.with_columns(pl.col(name).cast(pl.Float64))
    return rows


def _field(model: type[models.Model], attname: str) -> models.Field[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    return None


def _stored_keys(importer: Importer, rows: pl.DataFrame) -> pl.DataFrame:
    """Natural key → primary key of the stored rows the file names."""
    keys = list(importer.key_fields)
    first, rest = keys[0], keys[1:]
    others = {name: rows[name].unique().to_list() for name in rest}
    manager = importer.model._default_manager
    querysets = (
        manager.filter(**{f"{first}__in": part}, **{f"{n}__in": v for n, v in others.items()})
        for part in chunks(rows[first].unique().to_list())
    )
    schema = {name: rows.schema[name] for name in keys} | {"_pk": pl.Int64}
    return lookup_frame(querysets, [*keys, "pk"], schema)


def stored_rows(importer: Importer, rows: pl.DataFrame) -> pl.DataFrame:
    """The stored values of ``rows``' objects (by ``_pk``): fields, many-to-many ids, and what
    the change log names them by."""
    pks = rows["_pk"].drop_nulls().to_list()
    attnames = [model_field(importer.model, name).attname for name in importer.fields]
    extra = [a for a in ("province_code", _zone_attname(importer)) if a not in [*attnames, "_pk"]]
    objects = importer.model._base_manager.filter(pk__in=pks)
    stored = read_frame(objects, ["pk", *attnames, *extra]).rename({"pk": "_pk"})
    stored = _rounded_as_stored(importer, stored)
    for name in importer.m2m_fields:
        links = _m2m(importer, name, pks)
        stored = stored.join(links, on="_pk", how="left", maintain_order="left")
        stored = stored.with_columns(pl.col(name).fill_null([]))
    return stored


def _m2m(importer: Importer, name: str, pks: list[int]) -> pl.DataFrame:
    """Per stored object, the sorted ids its many-to-many field ``name`` holds."""
    field = importer.model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    owner, target = field.m2m_column_name(), field.m2m_reverse_name()  # type: ignore[union-attr]
    links = lookup_frame(
        (through.objects.filter(**{f"{owner}__in": part}) for part in chunks(pks)),
        [owner, target],
        {"_pk": pl.Int64, name: pl.Int64},
    )
    return links.sort(name).group_by("_pk").agg(pl.col(name))


def as_written(importer: Importer, rows: pl.DataFrame, stored: pl.DataFrame | None) -> pl.DataFrame:
    """Each object as it will be: the stored values (for a new one, the field defaults) with the
    file's values over them. An update keeps what only creation sets (zone, province)."""
    if stored is not None:
        given = [n for n in rows.columns if n not in importer.created_fields]
        keep = ["_pk", *(n for n in stored.columns if n not in given)]
        rows = rows.select(given).join(
            stored.select(keep), on="_pk", how="left", maintain_order="left"
        )
    defaults = []
    for name in [*importer.fields, *importer.m2m_fields]:
        field = model_field(importer.model, name)
        attname = field.attname
        if attname not in rows.columns:
            if field.many_to_many:
                defaults.append(pl.lit([], pl.List(pl.Int64)).alias(attname))
            else:
                defaults.append(pl.lit(field.get_default(), field_dtype(field)).alias(attname))
    return rows.with_columns(defaults) if defaults else rows


def snapshots(importer: Importer, rows: pl.DataFrame) -> pl.Series:
    """The change log's JSON of each object: the fields the importer writes."""
    names = [*importer.fields, *importer.m2m_fields]
    return snapshot_json([model_field(importer.model, name) for name in names], rows)


def _insert(importer: Importer, rows: pl.DataFrame) -> pl.DataFrame:
    """Insert ``rows`` as new objects; returns them with their new ``_pk`` and snapshot fields."""
    model = importer.model
    complete = as_written(importer, rows, None)
    ids = pl.Series("_pk", new_ids(model, complete.height), dtype=pl.Int64)
    complete = complete.with_columns(ids)
    values = [pl.col("_pk").alias(model._meta.pk.attname)]
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in complete.columns:
            values.append(pl.col(field.attname))
        else:
            default = field.get_db_prep_save(field.get_default(), _connection(model))
            values.append(pl.lit(default).alias(field.attname))
    insert_frame(model, complete.select(values))
    for name in importer.m2m_fields:
        _link(importer, name, complete)
    return complete


def _connection(model: type[models.Model]) -> Any:
    return connections[router.db_for_write(model)]


def update_rows(importer: Importer, rows: pl.DataFrame) -> None:
    """UPDATE the fields the file sets, and the many-to-many links, of the stored objects."""
    model = importer.model
    meta = model._meta
    fields = [model_field(model, n) for n in importer.fields]
    fields = [f for f in fields if f.attname in rows.columns]
    if fields:
        values = (pl.col(f.attname) for f in fields)
        update_frame(model, rows.select(pl.col("_pk").alias(meta.pk.attname), *values))
    for name in importer.m2m_fields:
        if name in rows.columns:
            _link(importer, name, rows)


def _link(importer: Importer, name: str, rows: pl.DataFrame) -> None:
    """Set the many-to-many field ``name`` of ``rows``' objects to the ids the file lists."""
    field = importer.model._meta.get_field(name)
    through = field.remote_field.through  # type: ignore[union-attr]
    owner, target = field.m2m_column_name(), field.m2m_reverse_name()  # type: ignore[union-attr]
    pks = rows["_pk"].to_list()
    for part in chunks(pks):
        through.objects.filter(**{f"{owner}__in": part}).delete()
    links = rows.select(pl.col("_pk").alias(owner), pl.col(name).alias(target))
    insert_frame(through, links.explode(target).drop_nulls().unique(maintain_order=True))


def _zone_attname(importer: Importer) -> str:
    """The column holding the object's zone (the primary key for a zone itself)."""
    path: str = getattr(importer.model, "scope_zone_path", "")
    return f"{path}_id" if path else "_pk"


class ChangeLogRows:
    """The change log of the import (or of its undo): one row per object written, under the
    current request id, as the importer's user."""

    def __init__(self, importer: Importer) -> None:
        self.importer = importer
        who = origin(importer.user)
        connection = _connection(ObjectChange)
        shared = {
            "time": timezone.now(),
            "user_id": who["user"].pk if who["user"] else None,
            **{name: who[name] for name in ("username", "role", "ip", "channel", "request_id")},
            "content_type_id": ContentType.objects.get_for_model(importer.model).pk,
        }
        # The same for every row; the time and request id as the database takes them, as text.
        self.shared = [
            pl.lit(str(model_field(ObjectChange, name).get_db_prep_save(value, connection))).alias(
                name
            )
            if name in ("time", "request_id")
            else pl.lit(value).alias(name)
            for name, value in shared.items()
        ]
        self.regions: dict[int, str] | None = None

    def write(self, action: str, rows: pl.DataFrame, stored: pl.DataFrame | None) -> None:
        """Log ``rows`` (the objects as written; for a delete, as they were, logged before it)
        over ``stored`` (as they were before; None for a create)."""
        importer = self.importer
        if self.regions is None or action == ChangeAction.CREATE:
            # read after the inserts, so a zone just created has its region
            self.regions = dict(Zone.objects.values_list("pk", "region__code"))
        nothing = pl.repeat(None, rows.height, dtype=pl.String, eager=True)
        after = nothing if action == ChangeAction.DELETE else snapshots(importer, rows)
        before = nothing if stored is None else snapshots(importer, stored)
        zone = rows[_zone_attname(importer)]
        frame = pl.DataFrame(
            {
                "action": pl.repeat(str(action), rows.height, eager=True),
                "object_id": rows["_pk"].cast(pl.String),
                "object_repr": rows["_repr"].str.slice(0, 200),
                "province_code": rows["province_code"].fill_null(""),
                "region_code": zone.replace_strict(
                    self.regions, default="", return_dtype=pl.String
                ),
                "before": before,
                "after": after,
            }
        )
        insert_frame(ObjectChange, frame.with_columns(self.shared).select(LOG_COLUMNS))
