"""Undo of a 100,000-row enterprise-year import: of one that inserted the rows, and of one that
updated them.

    .venv/bin/python benchmarks/intake/bench_undo.py                      # SQLite (a fresh file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_undo \\
        .venv/bin/python benchmarks/intake/bench_undo.py                  # PostgreSQL (scratch DB)

Method: prepare the workbook as ``bench_import.py`` does (the demo province, ``BENCH_ENTERPRISES``
default 21,000, its first ``BENCH_ROWS`` (100,000) yearly rows exported to a 30-column xlsx and
deleted); then, in a fresh process, import it (100,000 inserts) and time its undo (checks, change
log, deletes, one transaction); import it again (inserts) and once more (all unchanged); bump
every stored row's 年平均职工人数 behind the change log's back, import it a fourth time (100,000
updates that put the file's values back) and time the undo of that (checks, change log,
restoring every field from the snapshots). Prints the seconds of every import and undo, rows/s
and the process's peak RSS.
"""

import time
from pathlib import Path

# bench_import sets the production settings (DEBUG would record every query), a fresh SQLite
# directory unless DATABASE_URL names a database, and sets Django up.
from bench_import import footer, main
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.context import write_context
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake import actions
from kaifaqu.intake.models import ImportBatch


def import_file(path: Path, system: ActingUser) -> ImportBatch:
    data = path.read_bytes()
    batch = actions.create_batch(data, path.name, "enterprise-years", acting_user=system)
    started = time.perf_counter()
    with write_context(channel="cli"):
        actions.commit_batch(batch, acting_user=system)
    seconds = time.perf_counter() - started
    assert batch.state == "committed", batch.counts
    counts = ", ".join(f"{batch.counts[k]:,} {k}" for k in ("insert", "update", "unchanged"))
    print(f"  import ({counts}): {seconds:.2f} s")
    return batch


def time_undo(batch: ImportBatch, system: ActingUser, what: str) -> None:
    rows = batch.counts[what]
    started = time.perf_counter()
    with write_context(channel="cli"):
        actions.undo_batch(batch, acting_user=system)
    seconds = time.perf_counter() - started
    assert batch.state == "undone"
    print(f"  undo of {rows:,} {what}s: {seconds:.2f} s, {rows / seconds:,.0f} rows/s")


def undo_both(path: Path) -> None:
    system = get_user_model().objects.get(username="system")
    print(f"{connection.vendor}:")
    time_undo(import_file(path, system), system, "insert")
    import_file(path, system)
    import_file(path, system)  # the same file again: every row unchanged
    employees = Coalesce(F("avg_employees"), Value(0)) + 1
    EnterpriseYear.objects.update(avg_employees=employees)  # unlogged: the next import updates
    time_undo(import_file(path, system), system, "update")
    footer("the process (four imports, two undos)")


if __name__ == "__main__":
    main(__file__, undo_both)
