"""Fast bulk INSERT for machine-written rows (demo data, imports, the change log of an import).

``bulk_create`` prepares every value through its field and, on SQLite, splits batches at 999
parameters; for a 100,000-row import that is most of the time. Values that the driver already
takes as they are (Decimal, int, str, bool, None) go straight to it; the few others (dates,
UUIDs, JSON) are prepared by their field. PostgreSQL gets COPY, other databases one prepared
INSERT executed for every row. Like ``bulk_create`` this bypasses ``save()``.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

PASSED_AS_IS = (
    models.DecimalField,
    models.IntegerField,
    models.BooleanField,
    models.CharField,
    models.TextField,
    models.ForeignKey,
)


def insert_rows(
    model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """INSERT ``rows`` (tuples in the order of ``attnames``) into ``model``'s table."""
    connection = connections[router.db_for_write(model)]
    fields = {f.attname: f for f in model._meta.concrete_fields}
    prepare = [
        None if isinstance(fields[name], PASSED_AS_IS) else fields[name] for name in attnames
    ]
    quote = connection.ops.quote_name
    names = ", ".join(quote(str(fields[name].column)) for name in attnames)
    table = quote(model._meta.db_table)
    prepared = (
        [
            v if f is None or v is None else f.get_db_prep_save(v, connection)
            for f, v in zip(prepare, row, strict=True)
        ]
        for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(attnames))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", prepared)
