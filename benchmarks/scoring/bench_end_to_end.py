"""`kaifaqu index run` end to end at 100,000 units × 49 indicators (ASEM's framework and pipeline):
read the iData/iMeta files, prepare typed columns, run, write the table; the split printed.

    .venv/bin/python benchmarks/scoring/bench_end_to_end.py [csv|parquet]

The files are written once into a temporary folder from the seeded data of `_common.py` (uCode,
uName and the group as text, 49 indicators and 4 denominators as numbers: about 40 MB of CSV).
Issue 27's target: end to end within 1.5× the pipeline's own time. COINr 1.1.14 on the same
shape: `read.csv` 23 s, its pipeline 72.6 s (issue 27).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from _common import ROOT, RUNS, SEED, describe_machine, unit_data

from kaifaqu.scoring import framework_from_table, load_pipeline, read_table
from kaifaqu.scoring._loader import number_columns, units_from_table

UNITS = 100_000
META = ROOT / "src" / "kaifaqu" / "scoring" / "tests" / "fixtures" / "ASEM_iMeta.csv"
PIPELINE = """[data]
units = "units.{suffix}"
meta = "meta.csv"
[[step]]
kind = "denominate"
[[step]]
kind = "impute"
method = "group_mean"
group = "EurAsia_group"
[[step]]
kind = "screen"
min_availability = 0.9
[[step]]
kind = "treat"
method = "winsorise"
max_points = 5
[[step]]
kind = "normalise"
method = "minmax"
range = [0, 100]
[[step]]
kind = "aggregate"
method = "arithmetic"
"""


def _write_inputs(folder: Path, suffix: str) -> Path:
    framework = framework_from_table(read_table(META), META.name)
    data = unit_data(
        UNITS,
        list(framework.indicators),
        denominators=list(framework.denominators),
        groups={"EurAsia_group": 2},
    )
    groups = np.array(["Asia", "Europe"])[data.attributes["EurAsia_group"]]
    columns: dict[str, object] = {
        "uCode": [f"U{i:06d}" for i in range(UNITS)],
        "uName": [f"Unit {i}" for i in range(UNITS)],
        "EurAsia_group": groups,
    }
    columns |= {code: data.values[:, j] for j, code in enumerate(data.indicators)}
    columns |= dict(data.denominators)
    frame = pl.DataFrame(columns)
    if suffix == "csv":
        frame.write_csv(folder / "units.csv")
    else:
        frame.write_parquet(folder / "units.parquet")
    (folder / "meta.csv").write_bytes(META.read_bytes())
    path = folder / "pipeline.toml"
    path.write_text(PIPELINE.format(suffix=suffix))
    return path


def _split(path: Path) -> dict[str, float]:
    """Seconds per stage of one end-to-end run, as ``kaifaqu index run -o out.csv`` does it
    (``load_pipeline`` is read and prepare; its stages are timed by calling them one by one)."""
    times = dict.fromkeys(("read", "prepare", "run", "write"), 0.0)
    start = time.perf_counter()
    meta = read_table(path.parent / "meta.csv")
    times["read"] += time.perf_counter() - start
    start = time.perf_counter()
    framework = framework_from_table(meta, "meta.csv")
    times["prepare"] += time.perf_counter() - start
    start = time.perf_counter()
    units = read_table(next(path.parent.glob("units.*")), numbers=number_columns(framework))
    times["read"] += time.perf_counter() - start
    start = time.perf_counter()
    units_from_table(units, framework, "units")
    times["prepare"] += time.perf_counter() - start
    pipeline = load_pipeline(path)  # the same two stages through the public entry point
    start = time.perf_counter()
    results = pipeline.run()
    times["run"] = time.perf_counter() - start
    start = time.perf_counter()
    results.write(path.parent / "out.csv")
    times["write"] = time.perf_counter() - start
    return times


def splits(folder: Path, runs: int) -> list[dict[str, float]]:
    """``runs`` timed end-to-end runs over the inputs in ``folder``, after a warm-up."""
    path = folder / "pipeline.toml"
    _split(path)
    return [_split(path) for _ in range(runs)]


def main(suffix: str) -> int:
    with tempfile.TemporaryDirectory() as folder:
        _write_inputs(Path(folder), suffix)
        runs = splits(Path(folder), RUNS)
        size = sum(f.stat().st_size for f in Path(folder).glob("units.*")) / 2**20
    medians = {stage: statistics.median(r[stage] for r in runs) for stage in runs[0]}
    total = statistics.median(sum(r.values()) for r in runs)
    print(
        f"kaifaqu index run end to end: {UNITS:,} units x 49 indicators, units.{suffix} "
        f"({size:.0f} MiB), ASEM pipeline, seed {SEED}; median of {RUNS} after a warm-up"
    )
    for stage, seconds in medians.items():
        print(f"  {stage:<8} {seconds:6.3f} s")
    print(f"  total    {total:6.3f} s = {total / medians['run']:.2f} x the run (target <= 1.5)")
    print(f"  COINr: read.csv 23 s + pipeline 72.6 s = 95.6 s -> {95.6 / total:.0f}x")
    print(describe_machine())
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--time"]:  # one process of bench_end_to_end_compare.py
        print(json.dumps(splits(Path(sys.argv[2]), int(sys.argv[3]))))
        sys.exit(0)
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "csv"))
