"""Monte Carlo rank intervals (issue 14's target: 1,000 replications of 300 units × 40
indicators, 3 levels, in ≤ 5 s and ≤ 1 GiB), plus ASEM: one replication and 1,000.

    .venv/bin/python benchmarks/scoring/bench_uncertainty.py

Uncertain choices: every indicator weight and every pillar weight perturbed uniformly by ±25%
and renormalised within its parent (`levels = [1, 2]`, COINr's `get_noisy_weights(Level = 1:2)`;
on ASEM the pillar level is 2 and the sub-index weights at level 3 stay as they are);
normalisation min-max (0–100) or z-score (10, 2); winsorisation limit 3 or 5. COINr takes 0.11 s
per ASEM replication (METHODS §3).
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np
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

from kaifaqu.scoring import (
    Framework,
    Node,
    Pipeline,
    StepOptions,
    Uncertainty,
    WeightNoise,
    load_pipeline,
    parse_steps,
    rank_uncertainty,
)

UNITS, INDICATORS, PILLARS, REPLICATIONS = 300, 40, 8, 1000
ASEM = ROOT / "src" / "kaifaqu" / "scoring" / "tests" / "fixtures" / "asem.toml"
CHOICES = Uncertainty(
    (
        WeightNoise("weights", 0.25, (1, 2)),
        StepOptions(
            "normalisation",
            "normalise",
            ({"method": "minmax", "range": [0, 100]}, {"method": "zscore", "mean": 10, "sd": 2}),
        ),
        StepOptions("winsorisation", "treat", ({"max_points": 3}, {"max_points": 5})),
    ),
    seed=SEED,
)


def _synthetic() -> Pipeline:
    codes = [f"i{j:02d}" for j in range(INDICATORS)]
    nodes = [Node(code, parent=f"p{j % PILLARS}", weight=1 + j % 3) for j, code in enumerate(codes)]
    nodes += [Node(f"p{k}", "Aggregate", parent="index", weight=1 + k % 2) for k in range(PILLARS)]
    framework = Framework([*nodes, Node("index", "Aggregate")])
    steps = parse_steps(
        [
            {"kind": "treat", "max_points": 5},
            {"kind": "normalise", "method": "minmax", "range": [0, 100]},
            {"kind": "aggregate", "method": "arithmetic"},
        ]
    )
    return Pipeline(framework, unit_data(UNITS, codes), steps, CHOICES)


def _report(title: str, work: object, target: str) -> None:
    median, times = median_seconds(work)  # type: ignore[arg-type]
    peak = peak_traced_mib(work)  # type: ignore[arg-type]
    print(title)
    print(f"  runs (s): {', '.join(f'{t:.3f}' for t in times)}")
    print(f"  median {median:.3f} s ({target}); peak traced {peak:.1f} MiB")


def main() -> int:
    synthetic = _synthetic()
    asem = dataclasses.replace(load_pipeline(ASEM), uncertainty=CHOICES)
    print(f"method: median of {RUNS} runs after one warm-up; seed {SEED}; data in memory")
    _report(
        f"{REPLICATIONS} replications, {UNITS} units x {INDICATORS} indicators, 3 levels",
        lambda: rank_uncertainty(synthetic, REPLICATIONS),
        "target <= 5 s",
    )
    _report(
        "ASEM, 1 replication (rank_uncertainty(asem, 1))",
        lambda: rank_uncertainty(asem, 1),
        "COINr 0.11 s",
    )
    _report(
        f"ASEM, {REPLICATIONS} replications (--uncertainty {REPLICATIONS})",
        lambda: rank_uncertainty(asem, REPLICATIONS),
        f"COINr about {0.11 * REPLICATIONS:.0f} s",
    )
    table = rank_uncertainty(synthetic, REPLICATIONS)
    width = (table["index.rank.p95"] - table["index.rank.p05"]).to_numpy()
    print(f"synthetic: median 5-95% rank interval width {np.median(width):.0f} ranks")
    print(f"process max RSS {max_rss_mib():.0f} MiB (target <= 1024)")
    print(describe_machine())
    return 0


if __name__ == "__main__":
    sys.exit(main())
