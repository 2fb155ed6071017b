"""One year's assessment through the engine: scores, ranks, rank intervals (no Django here).

>>> from kaifaqu.assessment.framework import parse_document, preset_text
>>> doc = parse_document(preset_text("provincial_six"))
>>> units = [Unit(f"Z{i}", "南", {c: float(i + j) for j, c in enumerate(doc.indicators)})
...          for i in range(3)]
>>> [o.rank for o in assess(doc, units, replications=0)]
[3, 2, 1]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kaifaqu.assessment.framework import GROUP_COLUMN, Document
from kaifaqu.scoring import Results, UnitData, rank_uncertainty


@dataclass(frozen=True)
class Unit:
    """A zone's inputs for the year: indicator values (None = missing), group, deductions."""

    code: str
    group: str
    values: dict[str, float | None]
    others: dict[str, float | None] = field(default_factory=dict)


@dataclass
class Outcome:
    code: str
    total: float
    rank: int
    group_rank: int | None
    dimensions: dict[str, float | None]
    dimension_ranks: dict[str, int | None]
    indicators: dict[str, dict[str, float | None]]
    deductions: dict[str, float]
    interval: tuple[float, float] | None = None
    group_interval: tuple[float, float] | None = None
    median_rank: float | None = None
    mean_rank: float | None = None
    score_median: float | None = None
    score_interval: tuple[float, float] | None = None


@dataclass
class Assessment:
    outcomes: list[Outcome]
    log: dict[str, Any]
    warnings: list[str]


def unit_data(doc: Document, units: list[Unit]) -> UnitData:
    codes = [u.code for u in units]
    indicators = {c: [u.values.get(c) for u in units] for c in doc.indicators}
    attributes: dict[str, list[str | None]] = {GROUP_COLUMN: [u.group or None for u in units]}
    for column in doc.others:  # deduction counts: nothing recorded is no deduction
        attributes[column] = [str(u.others.get(column) or 0) for u in units]
    return UnitData.from_columns(codes, indicators, attributes=attributes)


def assess(doc: Document, units: list[Unit], *, replications: int) -> Assessment:
    """Run the framework over ``units``; with ``replications`` > 0, add 5th–95th rank intervals
    (overall and within group) from that many seeded Monte Carlo replications, and the overall
    rank's mean and median and the score's median and 5th–95th interval."""
    data = unit_data(doc, units)
    pipeline = doc.pipeline(data)
    results = pipeline.run()
    outcomes = [_outcome(doc, results, code) for code in results.units.tolist()]
    if replications > 0 and pipeline.uncertainty is not None:
        for which, attribute in (("overall", "interval"), ("group", "group_interval")):
            varied = doc.pipeline(data, intervals=which)
            _intervals(outcomes, rank_uncertainty(varied, replications), attribute)
    return Assessment(outcomes, results.log, list(results.warnings))


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _outcome(doc: Document, results: Results, code: str) -> Outcome:
    index = doc.framework.index or "total"
    normalised = results.datasets.get("Normalised")
    raw = results.datasets["Raw"]
    indicators = {
        c: {
            "value": _number(raw.value(code, c)),
            "score": _number(normalised.value(code, c)) if normalised else None,
            "weight": effective_weight(doc, c),
        }
        for c in doc.indicators
    }
    deductions = {
        r.rule: float(r.effect or 0.0) for r in results.rules if r.unit == code and r.effect
    }
    group_rank = results.rank(code, index, "rank.group") if "rank.group" in results.ranks else None
    return Outcome(
        code=code,
        total=float(results.score(code, index)),
        rank=results.rank(code, index) or 0,
        group_rank=group_rank,
        dimensions={d: _number(results.score(code, d)) for d in doc.dimensions},
        dimension_ranks={d: results.rank(code, d) for d in doc.dimensions},
        indicators=indicators,
        deductions=deductions,
    )


def effective_weight(doc: Document, code: str) -> float:
    """The indicator's nominal share of the total (dimension share × share within it)."""
    fw, share = doc.framework, 1.0
    while (parent := fw.node(code).parent) is not None:
        siblings = fw.children(parent)
        total = sum(float(fw.node(s).weight or 0) for s in siblings)
        share *= float(fw.node(code).weight or 0) / total if total else 0.0
        code = parent
    return share


def _intervals(outcomes: list[Outcome], table: Any, attribute: str) -> None:
    index_columns = [c for c in table.columns if c.endswith(".rank.p05")]
    prefix = index_columns[0].removesuffix(".rank.p05")
    rows = {r["uCode"]: r for r in table.iter_rows(named=True)}
    for outcome in outcomes:
        row = rows.get(outcome.code)
        if row is None or row[f"{prefix}.rank.p05"] is None:
            continue
        setattr(outcome, attribute, (row[f"{prefix}.rank.p05"], row[f"{prefix}.rank.p95"]))
        if attribute == "interval":
            _overall_statistics(outcome, row, prefix)


def _overall_statistics(outcome: Outcome, row: dict[str, float], prefix: str) -> None:
    """The statistics kept from the overall pass only: the group pass ranks within groups, and
    its scores are the same draws' scores."""
    outcome.median_rank = row[f"{prefix}.rank.median"]
    outcome.mean_rank = row[f"{prefix}.rank.mean"]
    outcome.score_median = row[f"{prefix}.score.median"]
    outcome.score_interval = (row[f"{prefix}.score.p05"], row[f"{prefix}.score.p95"])


def straight_line(years: list[int], values: list[float], year: int) -> float | None:
    """The least-squares line through (years, values), read at ``year``; None below two points.

    >>> straight_line([2021, 2022, 2023], [100.0, 110.0, 120.0], 2025)
    140.0
    """
    if len(years) < 2:
        return None
    slope, intercept = np.polyfit(np.array(years, float), np.array(values, float), 1)
    return round(float(slope * year + intercept), 9)  # drop polyfit's last-digit float noise


def projected_share(
    years: list[int], values: list[float], target_year: int, target: float, direction: int = 1
) -> float | None:
    """Straight-line projection (least squares over the actual years) to ``target_year``, as a
    share of the target; a cost indicator (direction −1) reaches it by falling to it.

    >>> round(projected_share([2021, 2022, 2023], [100.0, 110.0, 120.0], 2025, 160.0), 4)
    0.875
    """
    projected = straight_line(years, values, target_year)
    if projected is None or target == 0:
        return None
    if direction < 0:
        return target / projected if projected > 0 else None
    return projected / target
