"""Seeded benchmark data and timing helpers shared by the benchmark scripts.

The data have the shape on which COINr's figures in METHODS §3 were measured: lognormal indicators
with log-sd from 0.1 to 1.5, 5% missing, groups at random.
"""

from __future__ import annotations

import platform
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from kaifaqu.scoring import UnitData

SEED = 20261123
RUNS = 5
ROOT = Path(__file__).resolve().parents[2]


def lognormal_columns(
    rng: np.random.Generator, n: int, codes: list[str], missing: float = 0.05
) -> dict[str, np.ndarray]:
    """One lognormal column per code, log-sd spread evenly over 0.1–1.5, ``missing`` share NaN."""
    sigmas = np.linspace(0.1, 1.5, len(codes))
    columns = {}
    for code, sigma in zip(codes, sigmas, strict=True):
        column = rng.lognormal(mean=2.0, sigma=sigma, size=n)
        column[rng.random(n) < missing] = np.nan
        columns[code] = column
    return columns


def unit_data(
    n: int,
    indicators: list[str],
    *,
    denominators: Sequence[str] = (),
    groups: dict[str, int] | None = None,
    seed: int = SEED,
) -> UnitData:
    """``n`` units with seeded lognormal indicators, complete denominators and random groups."""
    rng = np.random.default_rng(seed)
    values = lognormal_columns(rng, n, indicators)
    dens = {d: rng.lognormal(3.0, 0.5, n) for d in denominators}
    attributes = {name: rng.integers(0, k, n) for name, k in (groups or {}).items()}
    return UnitData.from_columns(np.arange(n), values, denominators=dens, attributes=attributes)


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> tuple[float, list[float]]:
    """Median wall time of ``runs`` calls (after one warm-up call)."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def peak_traced_mib(work: Callable[[], object]) -> float:
    """Peak memory allocated during one call (tracemalloc, which NumPy reports to), in MiB."""
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def max_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def describe_machine() -> str:
    import os

    return f"Python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}"
