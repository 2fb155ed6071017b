"""1,000,000 enterprises × 6 indicators: benchmark-ratio scores with per-pool benchmarks, totals
rounded half-up, quota grades within pools (tie-break 亩均税收) and ranks within 300 groups.

    .venv/bin/python benchmarks/scoring/bench_mujun_1m.py

Targets (issue 13): ≤ 1 s, ≤ 1 GiB, and ≤ 1.5× the minimal NumPy computation of the same result.
"""

from __future__ import annotations

import sys

import numpy as np
from _common import (
    RUNS,
    SEED,
    describe_machine,
    max_rss_mib,
    median_seconds,
    peak_traced_mib,
    unit_data,
)

from kaifaqu.scoring import Framework, Node, Pipeline, parse_steps

UNITS, POOLS, GROUPS = 1_000_000, 4, 300
WEIGHTS = {
    "tax_per_mu": 30,
    "va_per_mu": 20,
    "va_per_energy": 20,
    "va_per_emission": 10,
    "labor_prod": 10,
    "rd_intensity": 10,
}
SHARES = [20, 60, 95]


def _benchmarks() -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(SEED + 1)
    return {code: {str(p): float(rng.uniform(5, 12)) for p in range(POOLS)} for code in WEIGHTS}


def _pipeline() -> Pipeline:
    nodes = [Node(code, parent="total", weight=w) for code, w in WEIGHTS.items()]
    framework = Framework([*nodes, Node("total", "Aggregate")])
    data = unit_data(UNITS, list(WEIGHTS), groups={"pool": POOLS, "group": GROUPS})
    steps = parse_steps(
        [
            {"kind": "impute", "method": "group_mean", "group": "pool"},
            {
                "kind": "normalise",
                "method": "benchmark",
                "pool": "pool",
                "benchmarks": _benchmarks(),
            },
            {"kind": "aggregate", "method": "sum"},
            {"kind": "round", "digits": 2},
            {"kind": "rank", "within": "group", "name": "rank"},
            {"kind": "classify", "pool": "pool", "shares": SHARES, "tie_break": ["tax_per_mu"]},
        ]
    )
    return Pipeline(framework, data, steps)


def minimal_numpy(pipeline: Pipeline) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same result written directly: a matrix product per pool, one lexsort, quota bounds."""
    data = pipeline.data
    pool, group = data.attributes["pool"], data.attributes["group"]
    x = data.values.copy()
    for j in range(x.shape[1]):  # the pipeline's group-mean imputation
        column = x[:, j]
        missing = np.isnan(column)
        sums = np.bincount(pool[~missing], column[~missing], POOLS)
        column[missing] = (sums / np.bincount(pool[~missing], minlength=POOLS))[pool[missing]]
    bench = _benchmarks()
    weights = np.array(list(WEIGHTS.values()), dtype=float)
    total = np.empty(len(x))
    for p in range(POOLS):
        rows = pool == p
        b = np.array([bench[c][str(p)] for c in WEIGHTS])
        total[rows] = x[rows] @ (weights / b)
    total = np.floor(total * 100 + 0.5) / 100
    tax = x[:, 0]
    order = np.lexsort((-tax, -total, pool))
    position = np.empty(len(x), dtype=np.int64)
    sizes = np.bincount(pool, minlength=POOLS)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position[order] = np.arange(len(x)) - np.repeat(starts, sizes) + 1
    bounds = np.array([[(n * s + 50) // 100 for s in SHARES] for n in sizes])
    grade = (position[:, None] > bounds[pool]).sum(axis=1)
    order_g = np.lexsort((-total, group))
    rank = np.empty(len(x), dtype=np.int64)
    gs = np.bincount(group, minlength=GROUPS)
    gstart = np.concatenate(([0], np.cumsum(gs)[:-1]))
    sorted_total = total[order_g]
    pos = np.arange(len(x)) - np.repeat(gstart, gs)
    new = np.r_[True, (sorted_total[1:] != sorted_total[:-1]) | (pos[1:] == 0)]
    index = np.arange(len(x))
    rank[order_g] = np.maximum.accumulate(np.where(new, index, 0)) - (index - pos) + 1
    return total, grade, rank


def main() -> int:
    pipeline = _pipeline()
    engine, engine_runs = median_seconds(pipeline.run)
    minimal, minimal_runs = median_seconds(lambda: minimal_numpy(pipeline))
    peak = peak_traced_mib(pipeline.run)
    results = pipeline.run()
    total, grade, rank = minimal_numpy(pipeline)
    same_total = np.array_equal(results.scores.column("total"), total)
    grades = results.grades["grade"]
    same_grade = all(grades == np.array(list("ABCD"), dtype=object)[grade])
    same_rank = np.array_equal(results.ranks["rank"].column("total"), rank.astype(float))
    print(
        f"mujun benchmark ratio, {UNITS:,} units x {len(WEIGHTS)} indicators, {POOLS} pools, "
        f"{GROUPS} groups (seed {SEED})"
    )
    print(f"method: median of {RUNS} runs after one warm-up; Pipeline.run() only, data in memory")
    print(f"engine runs (s):  {', '.join(f'{t:.3f}' for t in engine_runs)}")
    print(f"minimal runs (s): {', '.join(f'{t:.3f}' for t in minimal_runs)}")
    print(
        f"engine median {engine:.3f} s (target <= 1 s); minimal NumPy {minimal:.3f} s; "
        f"ratio {engine / minimal:.2f} (target <= 1.5)"
    )
    print(f"same totals: {same_total}; same grades: {same_grade}; same ranks: {same_rank}")
    print(
        f"peak memory of one run (tracemalloc): {peak:.0f} MiB; process max RSS "
        f"{max_rss_mib():.0f} MiB (target <= 1024)"
    )
    print(describe_machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
