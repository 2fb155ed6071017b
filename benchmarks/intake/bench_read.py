"""Bare read time of a 100,000-row × 30-column xlsx: calamine, fastexcel, ``read_table``, openpyxl.

    .venv/bin/python benchmarks/intake/bench_read.py [--runs 3] [--rows 100000]

The workbook is built once with xlsxwriter (seeded, cached in ``var/bench/``): per row a USCC-like
code, a company name, a year and 27 numbers, the shape of an enterprise-year import. Each reader
runs in a fresh process, so its peak resident memory (which includes calamine's Rust heap) is its
own; the median of ``--runs`` runs is printed, after one untimed warm-up of the disk cache.

- ``calamine``: ``CalamineWorkbook`` → ``get_sheet_by_name`` → ``to_python()`` (Python rows);
- ``fastexcel``: ``read_excel`` → ``load_sheet`` (every row typed, strictly) → ``to_polars()``;
- ``read_table``: the intake's reader: zip checks, inflate-and-scan, sheet choice, and since the
  sheet is plain, its typed columns through fastexcel (``_reading/_plain.py``);
- ``openpyxl``: ``load_workbook(read_only=True, data_only=True)`` → ``iter_rows(values_only=True)``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "var" / "bench"
SEED = 20261123
COLUMNS = 30
SHEET = "企业数据"
READERS = ("calamine", "fastexcel", "read_table", "openpyxl")


def header() -> list[str]:
    return ["统一社会信用代码", "企业名称", "年份"] + [
        f"指标{i:02d}" for i in range(1, COLUMNS - 2)
    ]


def build(path: Path, rows: int) -> None:
    import xlsxwriter

    rng = random.Random(SEED)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, header())
    for r in range(1, rows + 1):
        code = f"91330100MA2H{r:06d}"
        numbers = [round(rng.lognormvariate(3, 1), 2) for _ in range(COLUMNS - 3)]
        sheet.write_row(r, 0, [code, f"杭州第{r}号企业有限公司", 2024, *numbers])
    book.close()


def read_once(reader: str, path: Path) -> dict[str, float]:
    """One read in this process: seconds, rows read and peak RSS (MiB) above the start."""
    if reader == "openpyxl":
        import openpyxl
    elif reader == "fastexcel":
        import fastexcel
    else:
        from python_calamine import CalamineWorkbook

        from kaifaqu.spreadsheets.reading import read_table
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if reader == "calamine":
        book = CalamineWorkbook.from_path(str(path))
        count = len(book.get_sheet_by_name(SHEET).to_python()) - 1
    elif reader == "fastexcel":
        sheet = fastexcel.read_excel(path.read_bytes()).load_sheet(
            SHEET, header_row=0, schema_sample_rows=None, dtype_coercion="strict"
        )
        count = sheet.to_polars().height
    elif reader == "read_table":
        table = read_table(path.read_bytes(), path.name, header_candidates=header())
        count = len(table.numbers)
    else:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = len(list(workbook[SHEET].iter_rows(values_only=True))) - 1
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "rows": count, "rss_mib": (peak - base) / 1024}


def measure(reader: str, path: Path, runs: int) -> tuple[float, float, float, int]:
    """Median and best seconds, largest peak RSS and row count over ``runs`` fresh processes."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--one", reader, "--path", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout))
    times = [r["seconds"] for r in results]
    peak = max(r["rss_mib"] for r in results)
    return statistics.median(times), min(times), peak, int(results[0]["rows"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", choices=READERS, help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(read_once(args.one, args.path)))
        return 0
    path = CACHE / f"intake_{args.rows}x{COLUMNS}.xlsx"
    if not path.exists():
        print(f"building {path.relative_to(ROOT)} …", file=sys.stderr)
        build(path, args.rows)
    path.read_bytes()  # warm the disk cache
    size = path.stat().st_size / 2**20
    print(f"{args.rows:,} rows × {COLUMNS} columns, {size:.1f} MiB xlsx; median of {args.runs}")
    print(f"{'reader':<12}{'median':>10}{'best':>10}{'peak RSS':>12}{'rows/s':>12}")
    figures = {}
    for reader in READERS:
        median, best, peak, rows = measure(reader, path, args.runs)
        assert rows == args.rows, (reader, rows)
        figures[reader] = median
        print(f"{reader:<12}{median:>9.2f}s{best:>9.2f}s{peak:>8.0f} MiB{rows / median:>12,.0f}")
    print(f"openpyxl / calamine: {figures['openpyxl'] / figures['calamine']:.1f}×")
    print(f"read_table / calamine: {figures['read_table'] / figures['calamine']:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
