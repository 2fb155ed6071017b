"""Fast bulk reads and writes for machine-sized work (demo data, imports and their undo, the change
log of an import, an evaluation run's results): the one place where frames of rows move between
Polars and the database.

``insert_frame`` writes a Polars frame into a model's table: PostgreSQL gets COPY, other
databases one prepared INSERT executed for every row. ``bulk_create`` prepares every value
through its field and, on SQLite, splits batches at 999 parameters; for a 100,000-row import that
was most of the time. Here each column is made what the database takes, by its type and its
field's, in Polars: decimals and dates as text, a JSON field's structs and lists as JSON text
(a text column of a JSON field is its JSON already). Like ``bulk_create`` this bypasses
``save()``. A caller that needs the new rows' keys reserves them first (``new_ids``) instead of
reading them back by natural key, which cost an import as much as writing the rows.
``update_frame`` sets columns of many rows at once, ``insert_select`` writes rows computed from
a queryset without them leaving the database, and ``read_frame`` reads a queryset's
projection into Polars without Django's per-value converters (on SQLite those made a decimal a
second Decimal and took most of a re-import). ``backfill_in_batches`` is a data migration's
UPDATE of a big table, a range of rows per transaction.
"""

import gc
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connections, models, router, transaction
from django.db.models import Expression, F, Max, Min, QuerySet
from django.db.transaction import TransactionManagementError

from kaifaqu.core.fields import JSONTextField

COPY_SLICE = 1_000  # rows of CSV handed to a COPY at a time
JSON_FIELDS = (models.JSONField, JSONTextField)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: for work that holds a file's worth of rows.

    Each full collection walks every live container, and a 100,000-row table is 100,000 lists
    that live until the end, so collections took 15% of an import (sampled). Reference counting
    still frees what is let go; cycles made meanwhile wait for the next collection. Nests.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for rows of ``model`` that the caller inserts with them, in the
    caller's transaction; never a key that the table ever gave out, as the database would not.

    PostgreSQL draws them from the table's sequence (concurrent writers get other numbers).
    SQLite's AUTOINCREMENT counter (Django's key columns have it) moves past every key inserted,
    explicit ones too, and the caller's transaction holds the database's write lock (immediate
    transactions), so no other writer takes the same numbers between this read and the insert.
    """
    if count == 0:
        return []
    connection = connections[router.db_for_write(model)]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sequence = "SELECT pg_get_serial_sequence(%s, %s)"
            cursor.execute(sequence, [connection.ops.quote_name(table), model._meta.pk.column])
            (name,) = cursor.fetchone()
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, count])
            return [key for (key,) in cursor.fetchall()]
        # No row yet: the table has never had one (AUTOINCREMENT writes it at the first insert).
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = (found[0] if found else 0) + 1
        return list(range(start, start + count))


def insert_frame(model: type[models.Model], frame: pl.DataFrame) -> None:
    """INSERT a Polars frame whose columns are ``model``'s attnames (see ``stored_columns`` for
    what each column may hold).

    PostgreSQL gets the frame as CSV, written by Polars (an empty string quoted, a null not), in
    one COPY, a slice at a time: the server parses one slice while the next is written, instead
    of waiting for the whole text. Other databases get one INSERT executed for every row.
    """
    if frame.is_empty():
        return
    frame = stored_columns(model, frame)
    connection = connections[router.db_for_write(model)]
    fields = _attnames(model)
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(fields[name].column)) for name in frame.columns)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            placeholders = ", ".join(["%s"] * frame.width)
            sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
            # any iterable will do at run time; the stubs ask for a sequence, which holds it all
            rows: Any = frame.iter_rows()
            cursor.executemany(sql, rows)
            return
        sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv)"
        with cursor.cursor.copy(sql) as copy:
            for part in frame.iter_slices(COPY_SLICE):
                buffer = io.BytesIO()  # bytes, which psycopg sends without encoding them again
                part.write_csv(buffer, include_header=False)
                copy.write(buffer.getbuffer())


def update_frame(model: type[models.Model], frame: pl.DataFrame) -> None:
    """UPDATE the rows named by the frame's primary-key column, setting its other columns (the
    model's attnames, values as ``insert_frame`` takes them).

    PostgreSQL: the frame is copied into a temporary table and one UPDATE joins it (one
    statement per row cost 0.5 ms each); SQLite runs one prepared UPDATE per row, in process.
    """
    if frame.is_empty():
        return
    frame = stored_columns(model, frame)
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = _attnames(model)
    key = quote(str(model._meta.pk.column))
    table = quote(model._meta.db_table)
    names = [name for name in frame.columns if name != model._meta.pk.attname]
    columns = [quote(str(fields[name].column)) for name in names]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"
            rows = frame.select(*names, model._meta.pk.attname).iter_rows()
            cursor.executemany(sql, rows)  # type: ignore[arg-type]  # any iterable, streamed
            return
        temporary = quote(f"update_{model._meta.db_table}")
        listed = ", ".join([key, *columns])
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temporary} AS SELECT {listed} FROM {table} LIMIT 0"
        )
        copy_sql = f"COPY {temporary} ({listed}) FROM STDIN WITH (FORMAT csv)"
        with cursor.cursor.copy(copy_sql) as copy:
            ordered = frame.select(model._meta.pk.attname, *names)
            copy.write(ordered.write_csv(include_header=False))
        assignments = ", ".join(f"{column} = new.{column}" for column in columns)
        joined = f"FROM {temporary} AS new WHERE {table}.{key} = new.{key}"
        cursor.execute(f"UPDATE {table} SET {assignments} {joined}")
        cursor.execute(f"DROP TABLE {temporary}")


def insert_select(
    model: type[models.Model], queryset: QuerySet[Any], columns: dict[str, Expression | F]
) -> int:
    """``INSERT INTO`` ``model``'s table ``SELECT`` one row per row of ``queryset``: ``columns``
    maps the model's attnames to expressions over the queryset's model (``F("pk")``,
    ``Value(...)``, ``Case(...)``). One statement, whatever the number of rows; like
    ``bulk_create`` it bypasses ``save()``. Returns the number of rows inserted."""
    aliases = {f"c{i}": expression for i, expression in enumerate(columns.values())}
    sql, params = queryset.order_by().values(**aliases).query.sql_with_params()
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = _attnames(model)
    names = ", ".join(quote(str(fields[name].column)) for name in columns)
    selected = ", ".join(quote(alias) for alias in aliases)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {selected} FROM ({sql}) AS source", params
        )
        return int(cursor.rowcount)


def backfill_in_batches(queryset: QuerySet[Any], batch_size: int = 10_000, **values: Any) -> int:
    """``queryset.update(**values)`` in primary-key ranges of ``batch_size``, each committed on its
    own; the number of rows updated. For data migrations on big tables, with ``atomic = False``.

    One UPDATE of a whole table holds the lock of every row it touched until it commits, so a
    writer that touches any of them waits for the whole statement (minutes at 5,000,000 rows);
    here it waits for one batch at most. Inside an atomic block (an atomic migration) the batches
    would all commit together at the end, keeping every lock as long, so that is refused. A
    batch that fails leaves the earlier ones committed: filter the queryset on what is still to
    do (``new__isnull=True``) so that running the migration again carries on.
    """
    alias = queryset.db
    if connections[alias].in_atomic_block:
        raise TransactionManagementError("backfill_in_batches commits batch by batch: atomic=False")
    bounds = queryset.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    updated = 0
    for start in range(bounds["low"], bounds["high"] + 1, batch_size):
        with transaction.atomic(using=alias):
            batch = queryset.filter(pk__gte=start, pk__lt=start + batch_size)
            updated += batch.update(**values)
    return updated


def stored_columns(model: type[models.Model], frame: pl.DataFrame) -> pl.DataFrame:
    """The frame's columns as the database driver takes them, whichever database it is: decimals
    and dates as their text (what Django's adapters make of them), a JSON field's structs and
    lists as JSON text (nulls stay nulls), the rest as they are (text, numbers, booleans; a JSON
    field's text column is its JSON already)."""
    fields = _attnames(model)
    return frame.with_columns(
        _stored(fields[name], dtype, pl.col(name)).alias(name)
        for name, dtype in frame.schema.items()
    )


def _stored(field: models.Field[Any, Any], dtype: Any, column: pl.Expr) -> pl.Expr:
    if isinstance(field, JSON_FIELDS) and dtype != pl.String:
        # JSON of any value: encoded as the one field of a struct, whose braces are cut off
        encoded = pl.struct(column.alias("v")).struct.json_encode()
        json = encoded.str.strip_prefix('{"v":').str.strip_suffix("}")
        return pl.when(column.is_null()).then(None).otherwise(json)
    if dtype == pl.Date or isinstance(dtype, pl.Decimal):
        return column.cast(pl.String)
    return column


def _attnames(model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
    return {field.attname: field for field in model._meta.concrete_fields}


def read_frame(
    queryset: QuerySet[Any], names: Sequence[str], *, floats: Sequence[str] = ()
) -> pl.DataFrame:
    """``queryset.values_list(*names)`` as a frame, in one query and no particular order, each
    column typed as ``field_dtype`` holds its field: decimals at their field's places, dates,
    booleans, integers and text. ``names`` are what ``values_list`` takes (``"year"``,
    ``"zone_id"``, ``"pk"``, ``"enterprise__uscc"``); they name the columns. The numbers named in
    ``floats`` come as Float64 instead, for the engine, which computes in floats.

    Decimals and dates are selected as text: PostgreSQL's is exact; SQLite holds a decimal as the
    REAL nearest it and prints it at the field's places, which is what Django's converter makes
    of it (15 significant digits, then those places). A float is the double nearest the stored
    value on both. PostgreSQL sends the rows by COPY as CSV, which Polars parses (a million rows
    of the evaluation's projection: about 2 s).
    """
    fields = {name: path_field(queryset.model, name) for name in names}
    if any(isinstance(field, models.DateTimeField) for field in fields.values()):
        raise TypeError("read_frame reads dates, not times")
    aliases = {f"c{i}": F(name) for i, name in enumerate(names)}
    sql, params = queryset.order_by().values(**aliases).query.sql_with_params()
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    selected = (
        _as_float(connection.vendor, quote(alias))
        if name in floats
        else _as_text(fields[name], connection.vendor, quote(alias))
        for alias, name in zip(aliases, names, strict=True)
    )
    outer = f"SELECT {', '.join(selected)} FROM ({sql}) AS projection"
    raw = {n: pl.Float64 if n in floats else _raw_dtype(f) for n, f in fields.items()}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY takes no parameters: they go in as literals
            literal = cursor.cursor.mogrify(outer, params) if params else outer
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY ({literal}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
            frame = pl.read_csv(buffer.getvalue(), has_header=False, schema=raw)
        else:
            cursor.execute(outer, params)
            frame = pl.DataFrame(cursor.fetchall(), schema=raw, orient="row")
    return frame.with_columns(
        typed(pl.col(name), field) for name, field in fields.items() if name not in floats
    )


def path_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The field at the end of a ``values_list`` name (a path through relations, or ``pk``)."""
    *relations, last = name.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model  # type: ignore[assignment]
    field = model._meta.pk if last == "pk" else model._meta.get_field(last)
    assert isinstance(field, models.Field)  # not a reverse relation: those have no column
    return field


def _as_float(vendor: str, column: str) -> str:
    return f"{column}::float8" if vendor == "postgresql" else f"CAST({column} AS REAL)"


def _as_text(field: models.Field[Any, Any], vendor: str, column: str) -> str:
    if isinstance(field, models.DecimalField):
        if vendor == "postgresql":
            return f"{column}::text"
        # '%' as char(37): Django %-formats the statement only when it has parameters
        printed = f"printf(char(37) || '.{field.decimal_places}f', {column})"
        return f"CASE WHEN {column} IS NULL THEN NULL ELSE {printed} END"
    if isinstance(field, models.DateField):
        return f"CAST({column} AS TEXT)"
    if isinstance(field, models.BooleanField):
        return f"CAST({column} AS INTEGER)"
    return column


def _raw_dtype(field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.ForeignKey):
        return _raw_dtype(field.target_field)
    if isinstance(field, models.DecimalField | models.DateField):
        return pl.String
    if isinstance(field, models.BooleanField | models.IntegerField | models.AutoField):
        return pl.Int64
    if isinstance(field, models.FloatField):
        return pl.Float64
    return pl.String


def typed(column: pl.Expr, field: models.Field[Any, Any]) -> pl.Expr:
    """``column`` as ``field_dtype`` holds it, from text for decimals and dates (ISO), from
    0 and 1 for booleans."""
    if isinstance(field, models.DateField):
        return column.str.to_date("%Y-%m-%d")  # Polars casts no text to dates
    return column.cast(field_dtype(field))


def field_dtype(field: models.Field[Any, Any]) -> Any:
    """The Polars type a field's values are held in: decimals at the field's places, a key as
    the key it points to, a many-to-many field as the list of linked ids."""
    if field.many_to_many:
        return pl.List(pl.Int64)
    if isinstance(field, models.ForeignKey):
        return field_dtype(field.target_field)
    if isinstance(field, models.DecimalField):
        return pl.Decimal(38, field.decimal_places)
    if isinstance(field, models.FloatField):
        return pl.Float64
    if isinstance(field, models.BooleanField):
        return pl.Boolean
    if isinstance(field, models.DateField):
        return pl.Date
    if isinstance(field, models.IntegerField | models.AutoField):
        return pl.Int64
    return pl.String
