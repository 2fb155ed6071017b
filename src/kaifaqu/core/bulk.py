"""Fast bulk INSERT for machine-written rows (demo data, imports, the change log of an import).

``bulk_create`` prepares every value through its field and, on SQLite, splits batches at 999
parameters; for a 100,000-row import that is most of the time. Values that the driver already
takes as they are (Decimal, int, str, bool, None) go straight to it; the few others (dates,
UUIDs, JSON) are prepared by their field, unless the caller says the rows are ``prepared``
already (the intake builds its rows, JSON text included, in Polars). PostgreSQL gets COPY, other
databases one prepared INSERT executed for every row. Like ``bulk_create`` this bypasses ``save()``.
A caller that needs the new rows' keys reserves them first (``new_ids``) instead of reading them
back by natural key, which cost an import as much as writing the rows.
"""

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connections, models, router

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
    one COPY; other databases get ``insert_rows`` over its rows.
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
        copy.write(frame.write_csv(include_header=False))
