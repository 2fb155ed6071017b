"""`bench_end_to_end.py` for the engine of a git revision and of the working tree, side by side:
the inputs are written once, then the two alternate (and which goes first), each round a fresh
process per side (a warm-up and one timed run), so both see the same load on a shared machine.

    .venv/bin/python benchmarks/scoring/bench_end_to_end_compare.py REVISION [csv|parquet] [ROUNDS]

The revision's ``src`` is taken with ``git archive`` into a temporary folder and put first on
``PYTHONPATH``; the timing code is this tree's for both sides.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from _common import ROOT, describe_machine
from bench_end_to_end import UNITS, _write_inputs

SCRIPT = Path(__file__).with_name("bench_end_to_end.py")
STAGES = ("read", "prepare", "run", "write")


def _source_of(revision: str, folder: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision, "src"], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def _timed(source: Path, inputs: Path) -> dict[str, float]:
    env = os.environ | {"PYTHONPATH": str(source)}
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--time", str(inputs), "1"],
        env=env, capture_output=True, check=True, text=True, cwd=SCRIPT.parent,
    ).stdout  # fmt: skip
    figures: dict[str, float] = json.loads(out.splitlines()[-1])[0]
    return figures


def _summary(runs: list[dict[str, float]]) -> dict[str, float]:
    medians = {stage: statistics.median(r[stage] for r in runs) for stage in STAGES}
    medians["total"] = statistics.median(sum(r.values()) for r in runs)
    medians["ratio"] = statistics.median(sum(r.values()) / r["run"] for r in runs)
    return medians


def main(revision: str, suffix: str, rounds: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        inputs, old = Path(folder) / "inputs", Path(folder) / "old"
        inputs.mkdir()
        _write_inputs(inputs, suffix)
        sides = {revision: _source_of(revision, old), "working tree": ROOT / "src"}
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
        for i in range(rounds):  # who goes first alternates too
            for name, source in sorted(sides.items(), reverse=bool(i % 2)):
                runs[name].append(_timed(source, inputs))
    print(f"end to end, {UNITS:,} units x 49, units.{suffix}; median of {rounds} alternating runs")
    print(f"  {'':<14}" + "".join(f"{s:>9}" for s in (*STAGES, "total", "÷ run")))
    summaries = {name: _summary(r) for name, r in runs.items()}
    for name, medians in summaries.items():
        print(f"  {name[:14]:<14}" + "".join(f"{v:9.3f}" for v in medians.values()))
    old_total, new_total = (s["total"] for s in summaries.values())
    print(f"  new total / old total = {new_total / old_total:.2f}")
    print(describe_machine(), "load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(
        main(args[0], args[1] if len(args) > 1 else "csv", int(args[2]) if len(args) > 2 else 5)
    )
