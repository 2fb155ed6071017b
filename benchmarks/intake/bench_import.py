"""Import of a 100,000-row enterprise-year workbook, validated and committed.

    .venv/bin/python benchmarks/intake/bench_import.py                    # SQLite (a fresh file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_intake \\
        .venv/bin/python benchmarks/intake/bench_import.py                # PostgreSQL (scratch DB)

Method: build the demo province (``BENCH_ENTERPRISES``, default 21,000 enterprises, × up to 5
years), export its first ``BENCH_ROWS`` (100,000) yearly rows to xlsx in the import layout, as a
clerk's file of 30 columns: 序号, the USCC, the three reference columns the export writes
(企业名称, 开发区代码, 行业代码), the year, 23 figures and 备注 (filled on every 50th row); delete
the yearly rows (and vacuum the table on PostgreSQL); then, in a fresh process, time the bare
read of the file and one import of it under the default policy: read (calamine), validate,
check the reference columns and plan, write (bulk inserts and one change-log row per inserted
row, one transaction). Prints seconds, rows/s and the import process's peak RSS.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

# Production settings: DEBUG would record every query and distort time and memory.
os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "localhost")
if "DATABASE_URL" not in os.environ:
    os.environ.setdefault("KAIFAQU_VAR_DIR", tempfile.mkdtemp(prefix="kaifaqu-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from kaifaqu.audit.context import write_context  # noqa: E402
from kaifaqu.enterprises.models import EnterpriseYear  # noqa: E402
from kaifaqu.intake import actions  # noqa: E402
from kaifaqu.intake.exports import export_queryset  # noqa: E402
from kaifaqu.spreadsheets.columns import FIELD, IGNORED, KindSpec  # noqa: E402
from kaifaqu.spreadsheets.reading import read_table  # noqa: E402
from kaifaqu.spreadsheets.writing import to_xlsx  # noqa: E402


def prepare() -> Path:
    Path(os.environ.get("KAIFAQU_VAR_DIR", "var")).mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    enterprises = int(os.environ.get("BENCH_ENTERPRISES", "21000"))
    wanted = int(os.environ.get("BENCH_ROWS", "100000"))
    with open(os.devnull, "w") as quiet:
        call_command("demo_data", reset=True, enterprises=enterprises, stdout=quiet, stderr=quiet)
    ids = EnterpriseYear.objects.order_by("pk").values_list("pk", flat=True)
    last = ids[min(wanted, ids.count()) - 1]
    spec, rows = export_queryset("enterprise-years", EnterpriseYear.objects.filter(pk__lte=last))
    spec, rows = as_a_clerks_file(spec, rows)
    path = Path(tempfile.mkdtemp(prefix="kaifaqu-bench-file-")) / "enterprise-years.xlsx"
    path.write_bytes(to_xlsx(spec, rows))
    exported = EnterpriseYear.objects.filter(pk__lte=last).count()
    with transaction.atomic():
        EnterpriseYear.objects.all()._raw_delete(EnterpriseYear.objects.db)
    if connection.vendor == "postgresql":
        # An empty table as autovacuum leaves it, not 100,000 dead rows for every insert to
        # check its unique key against.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {EnterpriseYear._meta.db_table}")
    size = path.stat().st_size / 2**20
    print(f"file: {size:.1f} MiB, {exported:,} rows, {len(spec.columns)} columns")
    return path


def as_a_clerks_file(
    spec: KindSpec, rows: Iterator[list[Any]]
) -> tuple[KindSpec, Iterator[list[Any]]]:
    """The export with 序号 in front and 备注 behind, which the import recognises and skips."""
    serial, remarks = (replace(c, use=FIELD) for c in spec.columns if c.use == IGNORED)
    numbered = (
        [number, *row, "已核实" if number % 50 == 0 else None]
        for number, row in enumerate(rows, start=1)
    )
    return replace(spec, columns=(serial, *spec.written, remarks)), numbered


def import_file(path: Path) -> None:
    data = path.read_bytes()
    started = time.perf_counter()
    table = read_table(data, path.name)
    read = time.perf_counter() - started
    del table
    system = get_user_model().objects.get(username="system")
    batch = actions.create_batch(data, path.name, "enterprise-years", acting_user=system)
    started = time.perf_counter()
    with write_context(channel="cli"):
        actions.commit_batch(batch, acting_user=system)
    total = time.perf_counter() - started
    rows = batch.counts["insert"]
    assert batch.state == "committed", batch.counts
    print(f"{connection.vendor}: {rows:,} rows")
    print(f"  bare read (read_table: safety checks, then the sheet): {read:.2f} s")
    print(f"  import (read, validate, plan, write, log): {total:.2f} s, {rows / total:,.0f} rows/s")
    footer("the import process")


def footer(process: str) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS of {process}: {peak:.0f} MiB")
    print("  load average (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))


def main(script: str, measure: Callable[[Path], None]) -> None:
    """Prepare the workbook here, then measure it in a fresh process of ``script``."""
    if len(sys.argv) > 1:
        measure(Path(sys.argv[1]))
    else:
        workbook = prepare()
        subprocess.run([sys.executable, script, str(workbook)], check=True, env=os.environ)


if __name__ == "__main__":
    main(__file__, import_file)
