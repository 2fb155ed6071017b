"""Explanations for one unit: contributions, strengths and weaknesses, the way to the next grade.

The next-grade figures hold everything but the one indicator at the run's values: benchmarks,
normalisation bounds, winsorisation limits, weights, the other units' scores and the quota counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _normalise as norm
from ._aggregate import LINEAR, aggregate, linear_coefficients
from ._errors import DataError, FrameworkError
from ._grading import grade_by_thresholds, quota_counts
from ._ranking import competition_rank
from ._results import Results
from ._rounding import round_half_up
from ._rules import GRADE_ACTIONS
from ._state import RuleRecord, State
from ._steps import Aggregate, Classify, Normalise, Round, Rule

if TYPE_CHECKING:
    from ._pipeline import Pipeline

HELD = (
    "one indicator changed at a time; benchmarks, normalisation bounds, winsorisation limits, "
    "weights, the other units' scores and the quota counts held at this run's values"
)
_SEARCH_DOUBLINGS = 80
_SEARCH_HALVINGS = 200


@dataclass(frozen=True)
class NextGrade:
    """The smallest change of one indicator (value as it entered normalisation, in its own unit)
    that reaches the next grade; ``change`` is None when it cannot (``why`` says so)."""

    indicator: str
    unit: str | None
    value: float
    change: float | None
    why: str = ""

    def text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        if self.change is None:
            return f"{self.indicator}: not reachable through this indicator ({self.why})"
        to = self.value + self.change
        return (
            f"{self.indicator}: {self.change:+.6g}{unit} (from {self.value:.6g} to {to:.6g}; held*)"
        )


@dataclass(frozen=True)
class Explanation:
    """Why a unit scored, ranked and graded as it did.

    ``contributions[code][indicator]`` sums to the final score of ``code`` (lines ``rule NAME``
    for points rules and ``rounding`` for a round step complete the sum); ``strengths`` and
    ``weaknesses`` are (indicator, rank among the units) of its best and worst indicators.
    """

    unit: str
    scores: dict[str, float]
    contributions: dict[str, dict[str, float]]
    strengths: list[tuple[str, int]]
    weaknesses: list[tuple[str, int]]
    grade: str | None = None
    next_grade: str | None = None
    changes: list[NextGrade] = field(default_factory=list)
    rules: list[RuleRecord] = field(default_factory=list)

    def text(self) -> str:
        """The explanation as ``kaifaqu index explain`` prints it."""
        lines = [f"unit {self.unit}"]
        for code, parts in self.contributions.items():
            lines.append(f"{code} = {self.scores[code]:.6g}")
            lines += [f"  {name:<20} {value:+.6g}" for name, value in parts.items()]
        lines.append("strengths: " + ", ".join(f"{c} (rank {r})" for c, r in self.strengths))
        lines.append("weaknesses: " + ", ".join(f"{c} (rank {r})" for c, r in self.weaknesses))
        for record in self.rules:
            lines.append(f"rule {record.rule} ({record.action}): {record.before} → {record.after}")
        if self.grade is not None:
            lines.append(f"grade {self.grade}")
        if self.next_grade is not None:
            lines.append(f"to reach {self.next_grade}:")
            lines += [f"  {change.text()}" for change in self.changes]
            lines.append(f"  * {HELD}")
        return "\n".join(lines) + "\n"


def explain(
    pipeline: Pipeline, unit: str, *, results: Results | None = None, top: int = 3
) -> Explanation:
    """Explain ``unit``'s scores, ranks and (for the first classify step) grade.

    >>> from kaifaqu.scoring import Framework, Node, Pipeline, UnitData, parse_steps
    >>> fw = Framework([Node("x", parent="T", weight=3), Node("y", parent="T", weight=1),
    ...                 Node("T", "Aggregate")])
    >>> data = UnitData.from_columns(["a", "b"], {"x": [10.0, 20.0], "y": [40.0, 20.0]})
    >>> steps = parse_steps([{"kind": "normalise", "method": "benchmark",
    ...                       "benchmarks": {"x": 20, "y": 20}}, {"kind": "aggregate"}])
    >>> explain(Pipeline(fw, data, steps), "a").contributions["T"]
    {'x': 0.375, 'y': 0.5}
    """
    results = results or pipeline.run()
    row = _row(results, unit)
    aggregated = results.datasets.get("Aggregated")
    if aggregated is None:
        raise FrameworkError("explain needs an aggregate step")
    values = aggregated.values[row]
    columns = aggregated.columns
    contributions = _contributions(results, values, columns)
    final = {code: results.score(unit, code) for code in results.ordered_codes()}
    _complete(contributions, final, results, unit)
    strengths, weaknesses = _extremes(results, aggregated.values, row, top)
    explanation = Explanation(
        unit,
        final,
        {c: contributions[c] for c in results.ordered_codes()},
        strengths,
        weaknesses,
        rules=[r for r in results.rules if r.unit == unit],
    )
    classify = next((s for s in pipeline.steps if isinstance(s, Classify)), None)
    if classify is None or classify.name not in results.grades:
        return explanation
    return _with_next_grade(explanation, pipeline, results, classify, row)


def _row(results: Results, unit: str) -> int:
    rows = np.flatnonzero(results.units == unit)
    if rows.size == 0:
        raise DataError("no such unit among the scored units", unit=unit)
    return int(rows[0])


# -- contributions ----------------------------------------------------------------------------


def _contributions(
    results: Results, values: np.ndarray, columns: tuple[str, ...]
) -> dict[str, dict[str, float]]:
    """Per aggregate (lowest level first), each indicator's part of its score."""
    fw = results.framework
    value = dict(zip(columns, values.tolist(), strict=True))
    out: dict[str, dict[str, float]] = {}
    for code in fw.aggregates:
        record = results.aggregation[code]
        if record.method in ("copeland", "topsis"):
            out[code] = _shared(value, _indicator_weights(results, code), value[code])
            continue
        parts = _child_parts(record.method, record.weights, [value[c] for c in record.children])
        out[code] = {}
        for child, part in zip(record.children, parts, strict=True):
            below = out.get(child)
            if below is None:  # an indicator
                out[code][child] = out[code].get(child, 0.0) + part
                continue
            total = sum(below.values())
            for indicator, share in below.items():
                passed = part * share / total if total else part / len(below)
                out[code][indicator] = out[code].get(indicator, 0.0) + passed
    return out


def _child_parts(method: str, weights: tuple[float, ...], x: list[float]) -> list[float]:
    """Each child's part of the parent's score: a·x for the linear means (arithmetic, sum), else
    the score shared in proportion to weight × value (a missing child takes no part)."""
    row = np.array([x])
    w = np.array(weights)
    present = ~np.isnan(row[0])
    if method in LINEAR:
        coefficients = linear_coefficients(row, w, method)[0]
        return np.where(present, coefficients * np.nan_to_num(row[0]), 0.0).tolist()
    score = float(aggregate(row, w, method, children=[""] * len(x), units=np.array([""]))[0])
    return list(_shared(dict(enumerate(x)), dict(enumerate(weights)), score).values())


def _shared(
    value: Mapping[Any, float], weights: Mapping[Any, float], score: float
) -> dict[Any, float]:
    """``score`` shared in proportion to weight × value (by weight if those sum to zero)."""
    present = {c: w for c, w in weights.items() if not math.isnan(value[c])}
    base = {c: w * value[c] for c, w in present.items()}
    if sum(base.values()) == 0:
        base = present
    total = sum(base.values())
    return {c: score * base.get(c, 0.0) / total if total else 0.0 for c in weights}


def _complete(
    contributions: dict[str, dict[str, float]],
    final: dict[str, float],
    results: Results,
    unit: str,
) -> None:
    """Add the points rules and rounding lines, so that each code's parts sum to its final score."""
    for code, parts in contributions.items():
        for record in results.rules:
            if record.unit == unit and record.effect is not None and record.code == code:
                name = f"rule {record.rule}"
                parts[name] = parts.get(name, 0.0) + record.effect
        residual = final[code] - sum(parts.values())
        if abs(residual) > 1e-9 * max(1.0, abs(final[code])):
            parts["rounding"] = residual


def _indicator_weights(results: Results, code: str) -> dict[str, float]:
    """Each indicator's effective relative weight in ``code`` (products down the tree)."""
    if code not in results.aggregation:
        return {code: 1.0}
    out: dict[str, float] = {}
    for child, w in results.weights(code).items():
        for indicator, v in _indicator_weights(results, child).items():
            out[indicator] = out.get(indicator, 0.0) + w * v
    return out


def _extremes(
    results: Results, matrix: np.ndarray, row: int, top: int
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Indicators by the unit's rank among the units (normalised values, best first)."""
    indicators = results.framework.indicators
    ranked = []
    for j, code in enumerate(indicators):
        rank = competition_rank(matrix[:, j])[row]
        if not np.isnan(rank):
            ranked.append((code, int(rank)))
    ranked.sort(key=lambda item: item[1])
    return ranked[:top], ranked[::-1][:top]


# -- next grade -------------------------------------------------------------------------------


def _with_next_grade(
    explanation: Explanation, pipeline: Pipeline, results: Results, classify: Classify, row: int
) -> Explanation:
    label = results.grades[classify.name][row]
    scale = list(classify.grades)
    bands = {str(b["label"]): str(b["grade"]) for b in classify.bands}
    if label is None:
        return _replace(explanation, grade=None)
    position = scale.index(bands.get(str(label), str(label)))
    if position == 0:
        return _replace(explanation, grade=str(label))
    target = scale[position - 1]
    reach = _GradeOf(pipeline, results, classify, row)
    changes = [reach.smallest_change(code, position - 1) for code in results.framework.indicators]
    return _replace(explanation, grade=str(label), next_grade=target, changes=changes)


def _replace(explanation: Explanation, **changes: Any) -> Explanation:
    return replace(explanation, **changes)


class _GradeOf:
    """The unit's grade index as a function of one indicator's value, everything else held."""

    def __init__(self, pipeline: Pipeline, results: Results, classify: Classify, row: int) -> None:
        self.results, self.classify, self.row = results, classify, row
        # the units' groups and pools as the run had them, for pools and benchmarks
        self.state = State.start(pipeline.framework, pipeline.data)
        self.state.keep(np.isin(pipeline.data.codes, results.units))
        steps = list(pipeline.steps)
        normalise = [s for s in steps if isinstance(s, Normalise)]
        aggregate_at = [i for i, s in enumerate(steps) if isinstance(s, Aggregate)]
        if len(normalise) != 1 or len(aggregate_at) != 1:
            raise FrameworkError("the next grade needs one normalise and one aggregate step")
        self.normalise = normalise[0]
        self.after = steps[aggregate_at[0] + 1 :]
        names = list(results.datasets)
        self.entering = results.datasets[names[names.index("Normalised") - 1]]
        self.aggregated = results.datasets["Aggregated"]
        self.code = classify.score or results.framework.index or ""
        self.vetoes = [
            r
            for r in results.rules
            if r.unit == str(results.units[row]) and r.action in GRADE_ACTIONS
        ]

    def smallest_change(self, code: str, wanted: int) -> NextGrade:
        node = self.results.framework.node(code)
        value = self.entering.value(str(self.results.units[self.row]), code)
        if math.isnan(value):
            return NextGrade(code, node.unit, value, None, "the unit has no value")
        if any(v.action in ("force_grade", "cancel") for v in self.vetoes):
            return NextGrade(
                code, node.unit, value, None, f"the grade is set by rule {self.vetoes[0].rule}"
            )
        direction = node.direction
        column = self.entering.column(code)
        scale = max(abs(value), float(np.nanmax(column) - np.nanmin(column)), 1e-9)

        def reaches(delta: float) -> bool:
            return self.grade(code, value + direction * delta) <= wanted

        limit = value if direction == -1 and value > 0 else math.inf  # a cost stays ≥ 0
        return self._search(code, node.unit, value, reaches, scale, limit)

    def _search(
        self,
        code: str,
        unit: str | None,
        value: float,
        reaches: Callable[[float], bool],
        scale: float,
        limit: float,
    ) -> NextGrade:
        low, high = 0.0, scale * 1e-6
        for _ in range(_SEARCH_DOUBLINGS):
            high = min(high, limit * (1 - 1e-12))
            if reaches(high):
                break
            if high >= limit * (1 - 1e-12):
                return NextGrade(code, unit, value, None, "even at zero the grade is not reached")
            low, high = high, high * 2
        else:
            return NextGrade(code, unit, value, None, "the score stops rising before the grade")
        for _ in range(_SEARCH_HALVINGS):
            middle = (low + high) / 2
            if middle in (low, high) or high - low <= 1e-12 * max(1.0, high):
                break
            low, high = (low, middle) if reaches(middle) else (middle, high)
        direction = self.results.framework.node(code).direction
        return NextGrade(code, unit, value, direction * high)

    def grade(self, code: str, value: float) -> int:
        """The unit's grade index with ``code`` at ``value`` (as it entered normalisation)."""
        x = self.aggregated.values[self.row].copy()
        columns = self.aggregated.columns
        j = columns.index(code)
        x[j] = self._normalised(code, value)
        score = self._scored(x, columns)
        grade = self._graded(score, code, value)
        drops = sum(v.action == "drop_grade" for v in self.vetoes)  # as the rules did
        return min(grade + drops, len(self.classify.grades) - 1)

    def _normalised(self, code: str, value: float) -> float:
        node = self.results.framework.node(code)
        column = self.entering.column(code) * node.direction
        treated = [r for r in self.results.treatment if r.indicator == code]
        if treated and treated[0].status == "winsorised":  # winsorisation limits held
            value = float(
                np.clip(
                    value,
                    np.nanmin(self.entering.column(code)),
                    np.nanmax(self.entering.column(code)),
                )
            )
        return held_normalised(
            self.normalise, self.state, code, column, value * node.direction, self.row
        )

    def _scored(self, x: np.ndarray, columns: tuple[str, ...]) -> float:
        fw = self.results.framework
        for agg in fw.aggregates:
            record = self.results.aggregation[agg]
            idx = [columns.index(c) for c in record.children]
            if record.method in ("copeland", "topsis"):  # compared with the others: all units
                matrix = self.aggregated.values[:, idx].copy()
                matrix[self.row] = x[idx]
                x[columns.index(agg)] = aggregate(
                    matrix,
                    np.array(record.weights),
                    record.method,
                    children=record.children,
                    units=self.results.units,
                    topsis_normalisation=record.topsis_normalisation,
                )[self.row]
                continue
            x[columns.index(agg)] = aggregate(
                x[idx][None, :],
                np.array(record.weights),
                record.method,
                children=record.children,
                units=self.results.units[[self.row]],
            )[0]
        score = float(x[columns.index(self.code)])
        unit = str(self.results.units[self.row])
        for step in self.after:
            if isinstance(step, Round) and (step.codes is None or self.code in step.codes):
                score = float(round_half_up(np.array([score]), step.digits)[0])
            elif isinstance(step, Rule) and step.action in ("bonus", "penalty"):
                score += sum(
                    r.effect or 0.0
                    for r in self.results.rules
                    if r.unit == unit and r.rule == (step.name or step.action)
                )
            elif isinstance(step, Classify):
                break
        return score

    def _graded(self, score: float, code: str, value: float) -> int:
        classify = self.classify
        if classify.method == "thresholds":
            return int(grade_by_thresholds(np.array([score]), classify.thresholds)[0])
        final = self.results.scores.column(self.code)
        pool = self._pool()
        others = pool.copy()
        others[self.row] = False
        others &= ~np.isnan(final)
        better = final[others] > score
        tied = final[others] == score
        for tie in classify.tie_break:  # tie-break values as they entered normalisation
            mine = (
                value
                if tie == code
                else self.entering.value(str(self.results.units[self.row]), tie)
            )
            theirs = self.entering.column(tie)[others]
            mine = -math.inf if math.isnan(mine) else mine
            theirs = np.where(np.isnan(theirs), -math.inf, theirs)
            better |= tied & (theirs > mine)
            tied &= theirs == mine
        position = 1 + int(better.sum())
        bounds = quota_counts(int(others.sum()) + 1, classify.shares, classify.rounding)
        return sum(position > c for c in bounds)

    def _pool(self) -> np.ndarray:
        classify, units = self.classify, self.results.units
        pool = np.ones(units.size, dtype=bool)
        if classify.pool:
            labels = self.state.group(classify.pool)[0]
            pool = labels == labels[self.row]
        if classify.ungraded:
            column = self.state.attributes[classify.ungraded["column"]]
            left_out = np.isin(column, classify.ungraded["values"])
            pool &= ~left_out
        return pool


def held_normalised(
    step: Normalise, state: State, code: str, column: np.ndarray, x: float, row: int
) -> float:
    """One unit's normalised value at ``x`` (direction applied) with the column's bounds held.

    Where a bound is the unit's own value, moving past it makes the unit the new bound, so the
    unit's value is clipped there (min-max, distance to max), as a re-run would give it.
    """
    method = step.by_indicator.get(code, step.method)
    lo, hi = float(np.nanmin(column)), float(np.nanmax(column))
    direction = state.framework.node(code).direction
    if method == "minmax":
        low, high = step.range
        return float(np.clip((x - lo) / (hi - lo) * (high - low) + low, low, high))
    if method == "zscore":
        present = column[~np.isnan(column)]
        return float((x - present.mean()) / present.std(ddof=1) * step.sd + step.mean)
    if method in ("rank", "percentile"):
        others = np.delete(column, row)
        others = others[~np.isnan(others)]
        rank = 1.0 + float((others < x).sum())
        return rank if method == "rank" else (rank - 1) / others.size
    if method == "max":
        return float(np.clip(1 - (hi - x) / (hi - lo), 0.0, 1.0))
    if method in ("vector", "sum"):
        scale = np.sqrt(np.nansum(column * column)) if method == "vector" else np.nansum(column)
        return x / float(scale)
    if method in ("target", "reference"):
        if method == "target":
            target = step._target(state, code) * direction
        else:
            target = step._reference_value(state, code, column)
        y = 1 - (target - x) / (target - lo)
        return min(y, step.cap) if step.cap is not None else y
    if method == "goalposts":
        posts = step.goalposts[code]
        scale = posts[2] if len(posts) == 3 else step.scale
        one = norm.goalposts(np.array([x]), posts[0], posts[1], direction, scale, step.truncate)
        return float(one[0])
    if method == "benchmark":
        bench = step._benchmark(state, code, column * direction)[row]
        units = state.units[[row]]
        one = norm.benchmark_ratio(
            code, units, np.array([x]), np.array([bench]), direction, step.cap
        )
        return float(one[0])
    return x  # "none"
