"""Peak memory of a 100,000-row xlsx export: the constant-memory writer every export now uses
against the in-memory workbook it replaced, measured in the same run.

    .venv/bin/python benchmarks/intake/bench_xlsx_memory.py [ROWS] [REPEATS]

Method: rows in the enterprise-years export layout (``intake.columns.ENTERPRISE_YEARS``: USCC,
name, zone code, industry code, year, the yearly figures as decimals), seeded and produced one at a
time by a generator, so the rows themselves hold no memory. Each measurement is a fresh process
that writes the rows to a temporary file: either with ``kaifaqu.spreadsheets.writing.write_xlsx``
(XlsxWriter ``constant_memory``, row data to a temporary file as written) or with the workbook in
memory (``in_memory``, the former ``to_xlsx``, reproduced below). A process reports its time and
its max RSS before writing (Django and the writers imported) and after; medians over REPEATS
(default 3) processes per writer, alternating. (``tracemalloc`` slowed the writing fivefold on the
shared machine, so peak RSS it is.)
"""

import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")

WRITERS = ("constant_memory", "in_memory")


def rows(spec: Any, count: int) -> Iterator[list[Any]]:
    rng = random.Random(20261203)
    for index in range(count):
        row: list[Any] = []
        for column in spec.written:
            if column.type == "uscc":
                row.append(f"91330100MA{index:08d}")
            elif column.type in ("year", "integer"):
                row.append(2020 + index % 5)
            elif column.type == "decimal":
                row.append(Decimal(f"{rng.lognormvariate(6, 1.2):.4f}"))
            else:
                row.append(f"{column.name}{index % 997}")
        yield row


def in_memory_workbook(spec: Any, data: Iterator[list[Any]], target: Any) -> None:
    """The writer before issue 23: the whole workbook built in memory, then written out."""
    import xlsxwriter

    from kaifaqu.core.sheets import neutralise

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E8F0FB"})
    sheet = workbook.add_worksheet(spec.sheet)
    for col, column in enumerate(spec.written):
        sheet.write_string(0, col, column.header, bold)
    for row_index, row in enumerate(data, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(row_index, col, neutralise(value))
            elif isinstance(value, Decimal):
                sheet.write_number(row_index, col, float(value))
            elif value is not None:
                sheet.write(row_index, col, value)
    workbook.close()
    target.write(buffer.getvalue())


def measure(writer: str, count: int) -> None:
    import django

    django.setup()
    from kaifaqu.intake.columns import ENTERPRISE_YEARS
    from kaifaqu.spreadsheets.writing import write_xlsx

    write = write_xlsx if writer == "constant_memory" else in_memory_workbook
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    with tempfile.TemporaryFile() as file:
        write(ENTERPRISE_YEARS, rows(ENTERPRISE_YEARS, count), file)
        size = file.tell()
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "before": before, "rss": rss, "size": size}))


def main(count: int, repeats: int) -> None:
    results: dict[str, list[dict[str, float]]] = {writer: [] for writer in WRITERS}
    for _ in range(repeats):
        for writer in WRITERS:
            command = [sys.executable, __file__, "--measure", writer, str(count)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[writer].append(json.loads(output))
    mib = 2**20
    print(f"{count:,} rows × {len(rows_header())} columns, median of {repeats} processes each")
    print("| writer | time | max RSS before → after | added by writing | file |")
    print("|---|---|---|---|---|")
    for writer, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        before = statistics.median(r["before"] for r in runs) / mib
        rss = statistics.median(r["rss"] for r in runs) / mib
        added = statistics.median(r["rss"] - r["before"] for r in runs) / mib
        size = runs[0]["size"] / mib
        print(
            f"| {writer} | {seconds:.2f} s | {before:.0f} → {rss:.0f} MiB | {added:.0f} MiB "
            f"| {size:.1f} MiB |"
        )


def rows_header() -> list[str]:
    import django

    django.setup()
    from kaifaqu.intake.columns import ENTERPRISE_YEARS

    return [column.header for column in ENTERPRISE_YEARS.written]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--measure"]:
        measure(sys.argv[2], int(sys.argv[3]))
    else:
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 3,
        )
