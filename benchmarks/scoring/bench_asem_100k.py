"""100,000 units × 49 indicators through the ASEM pipeline (issue 13's target: ≤ 0.5 s, ≤ 1 GiB).

    .venv/bin/python benchmarks/scoring/bench_asem_100k.py

COINr 1.1.14 takes 55 s on this shape (METHODS §3). ASEM's own framework (4 levels, 49
indicators, its denominators) with seeded lognormal data; the steps are the issue's pipeline:
denominate, group-mean imputation, screening at 0.9, COINr's treatment, min-max 0–100, arithmetic.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from _common import (
    ROOT,
    RUNS,
    SEED,
    describe_machine,
    max_rss_mib,
    median_seconds,
    peak_traced_mib,
    unit_data,
)

from kaifaqu.scoring import Pipeline, framework_from_table, parse_steps, read_table

UNITS = 100_000
META = ROOT / "src" / "kaifaqu" / "scoring" / "tests" / "fixtures" / "ASEM_iMeta.csv"
STEPS: list[dict[str, Any]] = [
    {"kind": "denominate"},
    {"kind": "impute", "method": "group_mean", "group": "EurAsia_group"},
    {"kind": "screen", "min_availability": 0.9},
    {"kind": "treat", "method": "winsorise", "max_points": 5},
    {"kind": "normalise", "method": "minmax", "range": [0, 100]},
    {"kind": "aggregate", "method": "arithmetic"},
]


def main() -> int:
    framework = framework_from_table(read_table(META), META.name)
    data = unit_data(
        UNITS,
        list(framework.indicators),
        denominators=list(framework.denominators),
        groups={"EurAsia_group": 2},
    )
    pipeline = Pipeline(framework, data, parse_steps(STEPS))
    median, times = median_seconds(pipeline.run)
    peak = peak_traced_mib(pipeline.run)
    results = pipeline.run()
    statuses = Counter(record.status for record in results.treatment)
    print(
        f"ASEM-shaped pipeline, {UNITS:,} units x {len(framework.indicators)} indicators "
        f"(seed {SEED})"
    )
    print(f"method: median of {RUNS} runs after one warm-up; Pipeline.run() only, data in memory")
    print(f"runs (s): {', '.join(f'{t:.3f}' for t in times)}")
    print(f"median: {median:.3f} s   (target <= 0.5 s; COINr 55 s -> {55 / median:.0f}x faster)")
    print(
        f"peak memory of one run (tracemalloc): {peak:.0f} MiB; process max RSS "
        f"{max_rss_mib():.0f} MiB (target <= 1024)"
    )
    print(f"units kept: {len(results.units):,}; treatment: {dict(statuses)}")
    print(describe_machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
