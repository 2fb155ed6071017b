"""One year's MOFCOM assessment of 2,000 zones (nine times the real 230) with both rank
intervals (overall, within 东/中/西), 1,000 seeded replications each: engine only, no database.

    .venv/bin/python benchmarks/assessment/bench_assessment.py [ZONES]

Median of 5 runs after one warm-up; peak traced memory of one run.
"""

import statistics
import sys
import time
import tracemalloc

import numpy as np

from kaifaqu.assessment.compute import Unit, assess
from kaifaqu.assessment.framework import parse_document, preset_text

GROUPS = ("东部", "中部", "西部")


def units(count: int, indicators: list[str]) -> list[Unit]:
    rng = np.random.default_rng(16)
    values = np.exp(rng.normal(0, 0.8, (count, len(indicators))))
    values[rng.random(values.shape) < 0.03] = np.nan
    return [
        Unit(
            f"Z{i:05d}",
            GROUPS[i % 3],
            {c: None if np.isnan(v) else float(v) for c, v in zip(indicators, row, strict=True)},
        )
        for i, row in enumerate(values)
    ]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    doc = parse_document(preset_text("mofcom_2021"))
    data = units(count, doc.indicators)
    assess(doc, data, replications=1000)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        assess(doc, data, replications=1000)
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    assess(doc, data, replications=1000)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(
        f"{count} zones × {len(doc.indicators)} indicators, 2 × 1,000 replications: "
        f"median {statistics.median(times):.3f} s, best {min(times):.3f} s, peak {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
