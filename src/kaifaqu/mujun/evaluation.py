"""Evaluating one year of enterprises under a scheme: Polars in, the engine per pool, Polars out.

No Django: the evaluation run job and the offline CLI both call :func:`evaluate` on a frame of
canonical columns (``INPUT_COLUMNS``). Each job has its module: ``preparation`` (scope,
statuses, indicator values and missing-data rules; statuses are left out of pool counts and
benchmarks, METHODS §1.2), ``benchmarks`` (基准值 and pool-average fills), ``engine`` (the engine
scores x / B, Σ w·item, bonus/penalty, rounds half-up, ranks within the pool with the tie-break,
grades by quota and applies vetoes) and ``next_grade`` (grade floors and the paths to the next
grade). This module runs them in turn, and scores one enterprise again as its run did.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from kaifaqu.mujun.benchmarks import EvaluationError, fill_missing, pool_benchmarks, pool_fills
from kaifaqu.mujun.engine import score_pool
from kaifaqu.mujun.next_grade import grade_floors, next_grade_paths
from kaifaqu.mujun.preparation import prepare
from kaifaqu.mujun.scheme import Scheme
from kaifaqu.scoring import ENGINE_VERSION

__all__ = ["Evaluation", "EvaluationError", "Scored", "evaluate", "score_one", "stored_precision"]


@dataclass
class Evaluation:
    """Per-enterprise results (``frame``), benchmarks used per pool, and the run's record.

    ``cutoffs`` holds, per pool, what scoring one enterprise again needs beside the benchmarks:
    the least total of each grade but the last (``floors``, :func:`grade_floors`) and the values a
    missing pool-average indicator gets (``fills``).
    """

    frame: pl.DataFrame
    benchmarks: dict[str, dict[str, float]]
    log: dict[str, Any] = field(default_factory=dict)
    cutoffs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        by_status = self.frame.group_by("status").len().rows()
        return {"units": self.frame.height, **{str(k): int(v) for k, v in by_status}}


def evaluate(
    frame: pl.DataFrame, scheme: Scheme, year: int, prior: pl.DataFrame | None = None
) -> Evaluation:
    """Evaluate ``frame`` (one row per enterprise of ``year``); ``prior`` is the year before."""
    data = prepare(frame, scheme, year)
    benchmarks: dict[str, dict[str, float]] = {}
    parts = [
        data.filter(
            ~pl.col("pool").is_in([p.code for p in scheme.pools]) | pl.col("pool").is_null()
        )
    ]
    engine_logs = {}
    cutoffs: dict[str, dict[str, Any]] = {}
    for pool in scheme.pools:
        members = data.filter(pl.col("pool") == pool.code)
        if members.height == 0:
            continue
        benchmarks[pool.code] = pool_benchmarks(data, pool, scheme, year, prior)
        fills = pool_fills(members, pool, scheme, benchmarks[pool.code])
        scored, engine_logs[pool.code] = score_pool(
            fill_missing(members, fills), pool, scheme, benchmarks[pool.code]
        )
        floors = grade_floors(scored, scheme)
        cutoffs[pool.code] = {"floors": floors, "fills": fills}
        parts.append(next_grade_paths(scored, pool, scheme, benchmarks[pool.code], floors))
    result = pl.concat(parts, how="diagonal_relaxed").sort("row")
    log = {
        "scheme": scheme.id,
        "scheme_digest": scheme.digest,
        "engine_version": ENGINE_VERSION,
        "input_hash": input_digest(frame),
        "year": year,
        "pools": engine_logs,
    }
    return Evaluation(frame=result, benchmarks=benchmarks, log=log, cutoffs=cutoffs)


@dataclass(frozen=True)
class Scored:
    """One enterprise scored alone by :func:`score_one`."""

    pool: str | None
    status: str
    reason: str
    values: dict[str, float | None]
    items: dict[str, float | None]
    total: float | None = None
    grade: str | None = None
    managed_grade: str | None = None
    warnings: list[str] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)


def score_one(
    frame: pl.DataFrame,
    scheme: Scheme,
    year: int,
    benchmarks: dict[str, dict[str, float]],
    cutoffs: dict[str, dict[str, Any]],
) -> Scored:
    """Score the one enterprise of ``frame`` as its run did, at the run's stored benchmarks,
    pool-average fills and grade floors (``Evaluation.cutoffs``): the others held as they were.

    Without the run's cut-offs for its pool (a run stored before they were kept) the unit is
    scored but not graded.
    """
    data = prepare(frame, scheme, year)
    code = data["pool"][0]
    if code not in benchmarks:
        return _scored(data.row(0, named=True), ())
    pool = scheme.pool(code)
    stored = cutoffs.get(code)
    filled = fill_missing(data, stored["fills"] if stored else {})
    floors = stored["floors"] if stored else [math.inf] * (len(scheme.grading.grades) - 1)
    scored, _ = score_pool(filled, pool, scheme, benchmarks[code], floors)
    row = scored.with_columns(stored_precision(scored.columns)).row(0, named=True)
    if stored is None:
        row |= {"grade": None, "managed_grade": None}
    return _scored(row, pool.weights)


def stored_precision(columns: Iterable[str]) -> list[pl.Expr]:
    """Indicator values (``v:``) to six significant figures and item scores (``s:``) to four
    decimals, as a run stores them; the total is published to two. Full float digits made a
    million stored results 40% larger to write."""
    return [
        pl.col(c).round_sig_figs(6) if c.startswith("v:") else pl.col(c).round(4)
        for c in columns
        if c.startswith(("v:", "s:"))
    ]


def _scored(row: dict[str, Any], codes: Iterable[str]) -> Scored:
    return Scored(
        pool=row["pool"],
        status=row["status"],
        reason=row["reason"],
        values={c: row.get(f"v:{c}") for c in codes},
        items={c: row.get(f"s:{c}") for c in codes},
        total=row.get("total"),
        grade=row.get("grade"),
        managed_grade=row.get("managed_grade"),
        warnings=list(row["warnings"]),
        vetoes=list(row.get("vetoes") or []),
    )


def input_digest(frame: pl.DataFrame) -> str:
    """A hash of the input rows (order-independent), so a run can show what it read."""
    if frame.height == 0:
        return "sha256:empty"
    hashed = frame.select(sorted(frame.columns)).hash_rows(seed=20260101).sort()
    return "sha256:" + hashlib.sha256(hashed.to_numpy().tobytes()).hexdigest()
