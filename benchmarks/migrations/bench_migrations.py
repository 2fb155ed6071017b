"""Migrations on 5,000,000 yearly rows while a writer works: its longest wait, the careful way and
the naive way side by side (issue 31, item 6).

    createdb -h 127.0.0.1 -U postgres bench_migrations
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_migrations \
        .venv/bin/python benchmarks/migrations/bench_migrations.py [--rows 5000000] [--runs 3]
    dropdb -h 127.0.0.1 -U postgres bench_migrations

Migrates the schema, then (unless the table already holds the rows) fills
``enterprises_enterpriseyear`` set-wise: 100 zones, rows ÷ 10 enterprises, ten years each, by
INSERT … SELECT over generate_series, then VACUUM ANALYZE. Each case then applies a migration the
way Django does (``Migration.apply`` on the project's state, in a schema editor that is atomic or
not as the migration says; nothing is recorded in django_migrations), while a writer in a process
of its own, on its own connection, in autocommit, alternates an UPDATE of a random yearly row and
an INSERT of a new one, 10 ms apart, timing each statement. The writer's figures are those of
the statements that overlap the migration. After each case what it added is dropped, the writer's
rows deleted and, after a backfill, the table vacuumed, so that every run starts alike. Cases
alternate careful and naive within a run; the figures printed are medians over the runs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event
from typing import Any

# Production settings: DEBUG would record every query.
os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
ZONES = 100
YEARS = range(2015, 2025)
WRITER_YEAR = 2100  # the writer's inserted rows are from this year on
WRITER_PAUSE = 0.010  # seconds between two of the writer's statements
SETTLE = 1.0  # seconds the writer runs before and after the migration


@dataclass
class Sample:
    migration: float
    longest: float
    median: float
    statements: int
    load: float


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", default="index,backfill,column", help="comma-separated")
    args = parser.parse_args()
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("DATABASE_URL must name a PostgreSQL database", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0)
    load(args.rows)
    cases = [case for name in args.cases.split(",") for case in CASES[name]]
    results: list[list[Sample]] = [[] for _ in cases]
    for run in range(args.runs):
        for case, samples in zip(cases, results, strict=True):
            sample = measure(case)
            samples.append(sample)
            print(
                f"run {run + 1} {case.label}: migration {sample.migration:.2f} s, longest wait "
                f"{sample.longest:.3f} s, median {sample.median * 1000:.1f} ms, "
                f"{sample.statements} statements, load {sample.load:.1f}",
                file=sys.stderr,
            )
    print(f"{args.rows:,} yearly rows, {args.runs} run(s), medians")
    print("| migration | way | migration time | writer's longest wait | writer's median | load |")
    print("|---|---|---|---|---|---|")
    for case, samples in zip(cases, results, strict=True):
        median = statistics.median
        print(
            f"| {case.label} | {case.way} | {median(s.migration for s in samples):.2f} s "
            f"| {median(s.longest for s in samples):.3f} s "
            f"| {median(s.median for s in samples) * 1000:.1f} ms "
            f"| {median(s.load for s in samples):.1f} |"
        )
    return 0


def load(rows: int) -> None:
    """The zones, enterprises and yearly rows, written by the database itself."""
    from django.db import connection

    from kaifaqu.catalog.models import Region
    from kaifaqu.enterprises.models import EnterpriseYear
    from kaifaqu.zones.models import Zone

    if EnterpriseYear.objects.filter(year__in=YEARS).count() >= rows:
        return
    start = time.perf_counter()
    province, _ = Region.objects.get_or_create(
        code="980000", defaults={"name": "基准省", "level": "province"}
    )
    for i in range(ZONES):
        Zone.objects.get_or_create(
            code=f"B{i:03d}",
            defaults={"name": f"基准开发区{i}", "kind": "provincial_edz", "region": province},
        )
    enterprises = rows // len(YEARS)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO enterprises_enterprise (uscc, name, zone_id, region_id, province_code,
                registration_date, ownership, status, exempt_military, exempt_utility)
            SELECT 'B' || lpad(i::text, 17, '0'), '基准企业' || i,
                zones.ids[1 + i %% array_length(zones.ids, 1)], %s, '980000', '2010-06-01',
                'domestic', 'operating', false, false
            FROM generate_series(1, %s) AS i,
                (SELECT array_agg(id ORDER BY id) AS ids FROM zones_zone
                 WHERE code LIKE 'B%%') AS zones
            """,
            [province.pk, enterprises],
        )
        cursor.execute(
            """
            INSERT INTO enterprises_enterpriseyear (enterprise_id, zone_id, province_code, year,
                above_scale, operating_revenue, value_added, tax_paid, land_area_mu, energy_tce,
                avg_employees)
            SELECT e.id, e.zone_id, e.province_code, y, random() < 0.7,
                round((random() * 50000)::numeric, 4), round((random() * 10000)::numeric, 4),
                round((random() * 1000)::numeric, 4), round((random() * 300)::numeric, 2),
                round((random() * 5000)::numeric, 4), (random() * 500)::int
            FROM enterprises_enterprise AS e, generate_series(%s, %s) AS y
            WHERE e.province_code = '980000'
            ORDER BY e.id, y
            """,
            [YEARS[0], YEARS[-1]],
        )
    _vacuum("enterprises_enterprise", "enterprises_enterpriseyear")
    print(f"load: {rows:,} yearly rows in {time.perf_counter() - start:.1f} s", file=sys.stderr)


def _vacuum(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


@dataclass
class Case:
    label: str
    way: str
    atomic: bool
    operations: Callable[[], list[Any]]
    before: Callable[[], list[Any]] = list
    after: tuple[str, ...] = ()
    vacuum: bool = False


def _index() -> Any:
    from django.db import models

    return models.Index(fields=["year", "tax_paid"], name="bench_year_tax")


def _add_index_concurrently() -> list[Any]:
    from kaifaqu.core.operations import AddIndexConcurrently

    return [AddIndexConcurrently("enterpriseyear", _index())]


def _add_index() -> list[Any]:
    from django.db.migrations import AddIndex

    return [AddIndex("enterpriseyear", _index())]


def _add_column(field: Callable[[], Any]) -> Callable[[], list[Any]]:
    def operations() -> list[Any]:
        from django.db.migrations import AddField

        return [AddField("enterpriseyear", "bench_column", field())]

    return operations


def _nullable() -> Any:
    from django.db import models

    return models.DecimalField(max_digits=18, decimal_places=4, null=True)


def _with_default() -> Any:
    from django.db import models

    return models.IntegerField(db_default=0)


def _positive_with_default() -> Any:
    from django.db import models

    return models.PositiveIntegerField(db_default=0)


def _backfill(batched: bool) -> Callable[[], list[Any]]:
    def operations() -> list[Any]:
        from django.db.migrations import RunPython
        from django.db.models import F

        from kaifaqu.core.bulk import backfill_in_batches

        def forwards(apps: Any, schema_editor: Any) -> None:
            model = apps.get_model("enterprises", "EnterpriseYear")
            rows = model.objects.using(schema_editor.connection.alias)
            if batched:
                todo = rows.filter(bench_column__isnull=True)
                backfill_in_batches(todo, batch_size=10_000, bench_column=F("avg_employees"))
            else:
                rows.update(bench_column=F("avg_employees"))

        return [RunPython(forwards, RunPython.noop)]

    return operations


def _nullable_integer() -> Any:
    from django.db import models

    return models.IntegerField(null=True)


DROP_INDEX = "DROP INDEX IF EXISTS bench_year_tax"
DROP_COLUMN = "ALTER TABLE enterprises_enterpriseyear DROP COLUMN IF EXISTS bench_column"
CASES = {
    "index": [
        Case("add an index", "core.operations.AddIndexConcurrently, atomic = False", False,
             _add_index_concurrently, after=(DROP_INDEX,)),
        Case("add an index", "AddIndex (naive)", True, _add_index, after=(DROP_INDEX,)),
    ],
    "backfill": [
        Case("backfill a new column", "backfill_in_batches, 10,000 rows, atomic = False", False,
             _backfill(batched=True), before=_add_column(_nullable_integer),
             after=(DROP_COLUMN,), vacuum=True),
        Case("backfill a new column", "one UPDATE (naive)", True, _backfill(batched=False),
             before=_add_column(_nullable_integer), after=(DROP_COLUMN,), vacuum=True),
    ],
    "column": [
        Case("add a nullable column", "AddField null=True", True,
             _add_column(_nullable), after=(DROP_COLUMN,)),
        Case("add a column with a default", "AddField IntegerField(db_default=0)", True,
             _add_column(_with_default), after=(DROP_COLUMN,)),
        Case("add a column with a default", "AddField PositiveIntegerField(db_default=0): "
             "its CHECK scans the table", True,
             _add_column(_positive_with_default), after=(DROP_COLUMN,)),
    ],
}  # fmt: skip


def apply(state: Any, operations: list[Any], atomic: bool) -> Any:
    """Apply the operations as a migration of the enterprises app would be; the state after."""
    from django.db import connection
    from django.db.migrations import Migration

    attributes = {"operations": operations, "atomic": atomic}
    migration = type("Migration", (Migration,), attributes)("bench", "enterprises")
    with connection.schema_editor(atomic=atomic) as editor:
        return migration.apply(state, editor)


def measure(case: Case) -> Sample:
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    clean(case)  # what an interrupted run may have left
    state = MigrationLoader(connection).project_state()
    state = apply(state, case.before(), atomic=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM enterprises_enterpriseyear")
        low, high = cursor.fetchone()
        cursor.execute(
            "SELECT min(id), max(id) FROM enterprises_enterprise WHERE province_code = '980000'"
        )
        first, last = cursor.fetchone()
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    receiving, sending = context.Pipe(duplex=False)
    dsn = os.environ["DATABASE_URL"]
    writer = context.Process(target=write, args=(dsn, (low, high), (first, last), stop, sending))
    writer.start()
    sending.close()  # the writer's end: if it dies, recv below raises instead of waiting
    time.sleep(SETTLE)
    started = time.monotonic()
    apply(state, case.operations(), case.atomic)
    finished = time.monotonic()
    load = os.getloadavg()[0]
    time.sleep(SETTLE)
    stop.set()
    timings: list[tuple[float, float]] = receiving.recv()
    writer.join()
    clean(case)
    if case.vacuum:
        _vacuum("enterprises_enterpriseyear")
    overlapping = [
        latency for begun, latency in timings if begun < finished and begun + latency > started
    ]
    return Sample(
        migration=finished - started,
        longest=max(overlapping, default=0.0),
        median=statistics.median(overlapping) if overlapping else 0.0,
        statements=len(overlapping),
        load=load,
    )


def clean(case: Case) -> None:
    """Drop what the case adds and delete the writer's rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in case.after:
            cursor.execute(statement)
        cursor.execute("DELETE FROM enterprises_enterpriseyear WHERE year >= %s", [WRITER_YEAR])


def write(
    dsn: str, years: tuple[int, int], enterprises: tuple[int, int], stop: Event, out: Connection
) -> None:
    """The concurrent writer: UPDATE a random yearly row, INSERT a new one, in turn, each in its
    own transaction, until told to stop; sends (start, latency) of every statement."""
    import psycopg

    rng = random.Random(31)
    timings: list[tuple[float, float]] = []
    count = enterprises[1] - enterprises[0] + 1
    inserted = 0
    with psycopg.connect(dsn, autocommit=True) as connection:
        while not stop.is_set():
            if len(timings) % 2 == 0:
                sql = "UPDATE enterprises_enterpriseyear SET rd_staff = %s WHERE id = %s"
                params: tuple[int, ...] = (rng.randrange(100), rng.randint(*years))
            else:
                sql = (
                    "INSERT INTO enterprises_enterpriseyear (enterprise_id, zone_id, "
                    "province_code, year) SELECT id, zone_id, province_code, %s "
                    "FROM enterprises_enterprise WHERE id = %s"
                )
                params = (WRITER_YEAR + inserted // count, enterprises[0] + inserted % count)
                inserted += 1
            begun = time.monotonic()
            connection.execute(sql, params)
            timings.append((begun, time.monotonic() - begun))
            time.sleep(WRITER_PAUSE)
    out.send(timings)


if __name__ == "__main__":
    sys.exit(main())
