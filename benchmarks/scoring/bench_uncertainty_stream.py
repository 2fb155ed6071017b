"""The full uncertainty output at scale: 100,000 units × 49 indicators (ASEM's framework and
pipeline), 1,000 replications, each replication's ranks and scores streamed to Parquet with the
sampled parameters, and the per-unit statistics (issue 27: without holding them all in memory).

    .venv/bin/python benchmarks/scoring/bench_uncertainty_stream.py [REPLICATIONS]

Uncertain choices: every indicator and pillar weight ±25% (COINr Level = 1:2) and min-max or
z-score normalisation. Held whole, the replications' ranks and scores alone would take
units × replications × 16 bytes (1.5 GiB here); the script prints the process's peak resident
memory before and after, one run in a fresh process (a warm-up would double the time).
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
from _common import ROOT, SEED, describe_machine, max_rss_mib, unit_data

from kaifaqu.scoring import (
    Pipeline,
    StepOptions,
    Uncertainty,
    WeightNoise,
    framework_from_table,
    parse_steps,
    rank_uncertainty,
    read_table,
)

UNITS, REPLICATIONS = 100_000, 1_000
META = ROOT / "src" / "kaifaqu" / "scoring" / "tests" / "fixtures" / "ASEM_iMeta.csv"
STEPS: list[dict[str, Any]] = [
    {"kind": "denominate"},
    {"kind": "impute", "method": "group_mean", "group": "EurAsia_group"},
    {"kind": "screen", "min_availability": 0.9},
    {"kind": "treat", "method": "winsorise", "max_points": 5},
    {"kind": "normalise", "method": "minmax", "range": [0, 100]},
    {"kind": "aggregate", "method": "arithmetic"},
]
CHOICES = Uncertainty(
    (
        WeightNoise("weights", 0.25, (1, 2)),
        StepOptions(
            "normalisation",
            "normalise",
            ({"method": "minmax", "range": [0, 100]}, {"method": "zscore", "mean": 10, "sd": 2}),
        ),
    ),
    seed=SEED,
)


def _pipeline() -> Pipeline:
    framework = framework_from_table(read_table(META), META.name)
    data = unit_data(
        UNITS,
        list(framework.indicators),
        denominators=list(framework.denominators),
        groups={"EurAsia_group": 2},
    )
    return dataclasses.replace(Pipeline(framework, data, parse_steps(STEPS)), uncertainty=CHOICES)


def main(replications: int) -> int:
    pipeline = _pipeline()
    pipeline.run()
    before = max_rss_mib()
    whole = UNITS * replications * 16 / 2**20
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "replications.parquet"
        start = time.perf_counter()
        table = rank_uncertainty(pipeline, replications, replications_file=file)
        seconds = time.perf_counter() - start
        rows = pl.scan_parquet(file).select(pl.len()).collect().item()
        size = file.stat().st_size / 2**20
        parameters = pl.read_parquet(file.with_name("replications.parameters.parquet")).shape
    print(
        f"{replications:,} replications, {UNITS:,} units x 49 indicators (ASEM framework and "
        f"pipeline, seed {SEED}); weights +-25% at levels 1-2, min-max or z-score"
    )
    print(f"one run: {seconds:.1f} s, replications file {rows:,} rows, {size:.0f} MiB;")
    print(f"  parameters {parameters[0]:,} x {parameters[1]}; summary {table.shape}")
    print(
        f"process max RSS: {before:.0f} MiB before the replications, {max_rss_mib():.0f} MiB "
        f"after (ranks and scores held whole would be {whole:,.0f} MiB)"
    )
    print(describe_machine())
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else REPLICATIONS))
