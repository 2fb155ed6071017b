"""The change log's JSON of field values: one encoding for a page's write of one object and an
import's write of 100,000 rows, so that the same stored row reads the same in both.

Decimals are plain text without trailing zeros (12.5000 → "12.5", 100.0000 → "100": equal values
give equal text, however many places they were entered with), dates ISO text, many-to-many
fields their sorted ids, a missing value null; text, numbers and flags are JSON's own. The
encoding is a Polars expression per field, so an import encodes a chunk of rows at once; a single
object goes through it as a one-row frame (``encode_values``).
"""

import json
from collections.abc import Sequence
from typing import Any

import polars as pl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from kaifaqu.core.bulk import field_dtype


def snapshot_json(fields: Sequence[models.Field[Any, Any]], rows: pl.DataFrame) -> pl.Series:
    """Each row's snapshot as JSON text: ``{name: value}`` over ``fields``, each read from the
    column named by its attname and held as ``core.bulk.field_dtype`` holds it."""
    values = [_encoded(field, pl.col(field.attname)).alias(field.name) for field in fields]
    return rows.select(pl.struct(values).struct.json_encode()).to_series()


def _encoded(field: models.Field[Any, Any], column: pl.Expr) -> pl.Expr:
    if field.many_to_many:
        return column.list.unique().list.sort()
    if isinstance(field, models.DecimalField) and field.decimal_places:
        # the text of Decimal.normalize() without its exponent, and without regexes
        return column.cast(pl.String).str.strip_chars_end("0").str.strip_chars_end(".")
    if _is_date(field):
        return column.cast(pl.String)
    return column


def _is_date(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)


def encode_values(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` (field name → value, as Django's python serializer gives an object's) as the
    change log's JSON values: decimals, dates and many-to-many ids by ``snapshot_json``, the
    others (text, numbers, flags, times, JSON) as Django's JSON encoder writes them."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    typed = [
        f
        for f in fields
        if f.name in values
        and (f.many_to_many or _is_date(f) or isinstance(f, models.DecimalField))
    ]
    if typed:
        row = [values[f.name] if f.many_to_many else f.to_python(values[f.name]) for f in typed]
        schema = {f.attname: field_dtype(f) for f in typed}
        frame = pl.DataFrame([row], schema=schema, orient="row")
        values = values | json.loads(snapshot_json(typed, frame).item())
    encoded: dict[str, Any] = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return encoded
