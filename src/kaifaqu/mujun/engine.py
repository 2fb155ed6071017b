"""Scoring one pool with the engine: the pool's framework (its ``[[pool.framework]]`` entries, read
by the engine's loader) and the steps built here from the scheme's own tables (x / B with the
benchmarks found at run time, Σ w·item, bonus/penalty, round half-up, rank with the tie-break,
grade, vetoes), run by the engine's pipeline. No Django."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import polars as pl

from kaifaqu.mujun.preparation import RULE_COLUMNS
from kaifaqu.mujun.scheme import Pool, Scheme
from kaifaqu.mujun.statuses import SCORED, Status
from kaifaqu.scoring import Pipeline, UnitData, parse_steps


def engine_steps(
    pool: Pool,
    scheme: Scheme,
    benchmarks: dict[str, float],
    columns: set[str],
    floors: list[float | None] | None = None,
) -> list[dict[str, Any]]:
    """The engine's steps for one pool: x/B, Σ w·item, bonus/penalty, round, rank, grade, veto.

    With ``floors`` (a run's stored :func:`grade_floors`), grades are read off those totals
    instead of being shared out among the units, so a single enterprise can be graded alone.
    """
    grading = scheme.grading
    tie = [grading.tie_break] if grading.tie_break in pool.weights else []
    steps = _normalise_steps(pool, benchmarks, tie)
    steps.append({"kind": "aggregate", "method": "sum"})
    for rule in scheme.rules:
        if rule.action in ("bonus", "penalty") and rule.column in columns:
            steps.append(_rule_step(rule))
    steps += [
        {"kind": "round", "digits": 2, "codes": ["total"]},
        {"kind": "rank", "within": "graded_pool", "tie_break": tie, "name": "rank"},
        _classify_step(scheme, tie, floors),
    ]
    for rule in scheme.rules:
        if rule.action not in ("bonus", "penalty") and rule.column in columns:
            steps.append(_rule_step(rule))
    return steps


def _normalise_steps(
    pool: Pool, benchmarks: dict[str, float], tie: list[str]
) -> list[dict[str, Any]]:
    """x/B with the pool's caps: one step per distinct cap, since the engine caps a whole step.

    The tie-break's step comes last: the engine breaks ties on the values that entered the last
    normalisation, which must be the raw 亩均税收 rather than an already normalised ratio.
    """
    groups: dict[float | None, list[str]] = {}
    for code in pool.weights:
        groups.setdefault(pool.caps.get(code), []).append(code)
    steps = []
    for cap, codes in sorted(groups.items(), key=lambda group: any(c in tie for c in group[1])):
        step: dict[str, Any] = {
            "kind": "normalise",
            "method": "benchmark",
            "benchmarks": {code: benchmarks[code] for code in codes},
        }
        if len(groups) > 1:
            step["indicators"] = codes
        if cap is not None:
            step["cap"] = cap
        steps.append(step)
    return steps


def _rule_step(rule: Any) -> dict[str, Any]:
    step = {"kind": "rule", "action": rule.action, "column": rule.column, "name": rule.name}
    if rule.action in ("bonus", "penalty"):
        step["points"] = rule.points
        if rule.max_points is not None:
            step["max_points"] = rule.max_points
    if rule.action == "force_grade":
        step["grade"] = rule.grade
    return step


def _classify_step(
    scheme: Scheme, tie: list[str], floors: list[float | None] | None
) -> dict[str, Any]:
    grading = scheme.grading
    step: dict[str, Any] = {
        "kind": "classify",
        "method": grading.method,
        "score": "total",
        "grades": list(grading.grades),
        "ungraded": {"column": "status", "values": [s for s in SCORED if s != Status.GRADED]},
    }
    if floors is not None:
        # A grade no unit reached has no floor: nothing scores into it.
        lines = [math.inf if f is None else f for f in floors]
        step |= {"method": "thresholds", "thresholds": lines}
    elif grading.method == "quota":
        step |= {"shares": list(grading.shares), "rounding": grading.rounding, "tie_break": tie}
    else:
        step["thresholds"] = list(grading.thresholds)
    if grading.c_minus_below is not None:
        step["bands"] = [
            {"grade": "C", "label": grading.c_minus_label, "below": grading.c_minus_below}
        ]
    return step


def score_pool(
    members: pl.DataFrame,
    pool: Pool,
    scheme: Scheme,
    benchmarks: dict[str, float],
    floors: list[float | None] | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    scored_mask = pl.col("status").is_in(list(SCORED)) & ~pl.col("unscorable")
    units = members.filter(scored_mask)
    rest = members.filter(~scored_mask)
    if units.height == 0:
        return rest, {}
    codes = list(pool.weights)
    status = units["status"].to_numpy().astype(object)
    attributes: dict[str, np.ndarray] = {
        "status": status,
        "graded_pool": np.where(status == Status.GRADED, "p", np.array(None)).astype(object),
    }
    present = {c for c in RULE_COLUMNS if units[c].null_count() < units.height}
    for column in present:
        attributes[column] = units[column].fill_null(0).to_numpy().astype(np.float64)
    data = UnitData(
        codes=units["row"].to_numpy().astype(object),
        indicators=tuple(codes),
        values=np.asfortranarray(np.column_stack([units[f"v:{c}"].to_numpy() for c in codes])),
        attributes=attributes,
    )
    steps = engine_steps(pool, scheme, benchmarks, present, floors)
    results = Pipeline(pool.framework, data, parse_steps(steps)).run()
    # With caps there is one normalise step per cap; the last one holds every item.
    normalised = [d for name, d in results.datasets.items() if name.startswith("Normalised")][-1]
    rank = results.ranks["rank"].column("total")
    out = units.with_columns(
        *[pl.Series(f"s:{c}", normalised.column(c) * pool.weights[c]) for c in codes],
        pl.Series("total", results.scores.column("total")),
        pl.Series("rank", rank).cast(pl.Int64, strict=False),
        pl.Series("grade", results.grades["grade"].tolist(), dtype=pl.String),
    )
    out = out.join(_vetoes(results), on="row", how="left", maintain_order="left").with_columns(
        pl.col("vetoes").fill_null(pl.lit([], dtype=pl.List(pl.String)))
    )
    out = out.with_columns(
        pl.when(pl.col("status") == Status.UNGRADED)
        .then(pl.lit(scheme.ungraded_as))
        .otherwise(pl.col("grade"))
        .alias("managed_grade")
    )
    log = {k: results.log[k] for k in ("input_hash", "steps_hash", "steps", "units_in")}
    return pl.concat([out, rest], how="diagonal_relaxed"), log


def _vetoes(results: Any) -> pl.DataFrame:
    """The grade rules that fired, listed per unit (few units: a join, not a list per unit)."""
    fired = [r for r in results.rules if r.action in ("force_grade", "drop_grade", "cancel")]
    return (
        pl.DataFrame(
            {
                "row": [int(r.unit) for r in fired],
                "veto": [f"{r.rule}:{r.before or '—'}→{r.after or '—'}" for r in fired],
            },
            schema={"row": pl.UInt32, "veto": pl.String},
        )
        .group_by("row", maintain_order=True)
        .agg(pl.col("veto").alias("vetoes"))
    )
