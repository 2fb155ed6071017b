"""Fast bulk reads and writes for machine-sized work (demo data, imports and their undo, the change
log of an import).

``bulk_create`` prepares every value through its field and, on SQLite, splits batches at 999
parameters; for a 100,000-row import that is most of the time. Values that the driver already
takes as they are (Decimal, int, str, bool, None) go straight to it; the few others (dates,
UUIDs, JSON) are prepared by their field, unless the caller says the rows are ``prepared``
already (the intake builds its rows, JSON text included, in Polars). PostgreSQL gets COPY, other
databases one prepared INSERT executed for every row. Like ``bulk_create`` this bypasses ``save()``.
A caller that needs the new rows' keys reserves them first (``new_ids``) instead of reading them
back by natural key, which cost an import as much as writing the rows. ``update_frame`` sets
columns of many rows at once, and ``select_frame`` reads stored rows into Polars without Django's
per-value converters (on SQLite those made a decimal a second Decimal and took most of a
re-import).
"""

import gc
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connections, models, router

COPY_SLICE = 1_000  # rows of CSV handed to a COPY at a time
SELECT_CHUNK = 5_000  # keys per IN (...) on SQLite: well inside its parameter limit
PASSED_AS_IS = (
    models.DecimalField,
    models.IntegerField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.ForeignKey,
)


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


def insert_rows(
    model: type[models.Model],
    attnames: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    prepared: bool = False,
) -> None:
    """INSERT ``rows`` (tuples in the order of ``attnames``) into ``model``'s table.

    ``prepared``: every value is already as the database driver takes it (a JSON field's value
    is its JSON text, a date its ISO text), so none goes through its field.
    """
    connection = connections[router.db_for_write(model)]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    prepare = [
        None if isinstance(fields[name], PASSED_AS_IS) else fields[name] for name in attnames
    ]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(fields[name].column)) for name in attnames)
    table = quote(model._meta.db_table)
    if not prepared:
        rows = (
            [
                v if f is None or v is None else f.get_db_prep_save(v, connection)
                for f, v in zip(prepare, row, strict=True)
            ]
            for row in rows
        )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(attnames))
        # any iterable will do at run time; the stubs ask for a sequence, which would hold it all
        many: Any = rows
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", many)


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
    """INSERT a Polars frame whose columns are ``model``'s attnames and whose values are already
    as the database takes them (text, numbers, booleans, nulls; JSON as its text).

    PostgreSQL gets the frame as CSV, written by Polars (an empty string quoted, a null not), in
    one COPY, a slice at a time: the server parses one slice while the next is written, instead
    of waiting for the whole text. Other databases get ``insert_rows`` over its rows.
    """
    if frame.is_empty():
        return
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        insert_rows(model, frame.columns, frame.iter_rows(), prepared=True)
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(fields[name].column)) for name in frame.columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN WITH (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
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
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    key = quote(str(model._meta.pk.column))
    table = quote(model._meta.db_table)
    names = [name for name in frame.columns if name != model._meta.pk.attname]
    columns = [quote(str(fields[name].column)) for name in names]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"
            cursor.executemany(sql, frame.select(*names, model._meta.pk.attname).iter_rows())
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


def select_frame(
    model: type[models.Model], attnames: Sequence[str], pks: Sequence[int]
) -> pl.DataFrame:
    """The stored ``attnames`` of the rows with primary keys ``pks``, typed as Polars reads
    them: decimals at their field's places, dates, booleans, integers and text.

    Decimals and dates are selected as text: PostgreSQL's is exact; SQLite holds a decimal as the
    REAL nearest it and prints it at the field's places, which is what Django's converter makes
    of it (15 significant digits, then those places).
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = {f.attname: f for f in model._meta.concrete_fields}
    selected = [_as_text(fields[name], connection.vendor, quote) for name in attnames]
    table = quote(model._meta.db_table)
    key = quote(str(model._meta.pk.column))
    sql = f"SELECT {', '.join(selected)} FROM {table} WHERE {key}"
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array parameter, whatever the count
            cursor.execute(f"{sql} = ANY(%s)", [list(pks)])
            rows = cursor.fetchall()
        else:
            for start in range(0, len(pks), SELECT_CHUNK):
                part = list(pks[start : start + SELECT_CHUNK])
                cursor.execute(f"{sql} IN ({', '.join(['%s'] * len(part))})", part)
                rows += cursor.fetchall()
    raw = {name: _raw_dtype(fields[name]) for name in attnames}
    frame = pl.DataFrame(rows, schema=raw, orient="row")
    return frame.with_columns(typed(pl.col(name), fields[name]) for name in attnames)


def _as_text(field: models.Field[Any, Any], vendor: str, quote: Any) -> str:
    column = quote(str(field.column))
    if isinstance(field, models.DecimalField):
        if vendor == "postgresql":
            return f"{column}::text"
        printed = f"printf('%%.{field.decimal_places}f', {column})"  # %% as parameters follow
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
