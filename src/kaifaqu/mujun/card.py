"""What an enterprise's result card says, shared by the card page and its result sheet."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kaifaqu.mujun.choices import POINTS_COLUMNS
from kaifaqu.mujun.models import EvaluationResult, PointsEntry
from kaifaqu.mujun.policies import policy_rows
from kaifaqu.mujun.scheme import Scheme


@dataclass(frozen=True)
class IndicatorRow:
    name: str
    unit: str
    value: float | None
    benchmark: float | None
    weight: float
    item: float | None
    max_item: float | None  # the item's cap in points (cap × weight), None without a cap


@dataclass(frozen=True)
class Card:
    result: EvaluationResult
    scheme: Scheme
    rows: list[IndicatorRow]
    policies: list[tuple[str, str]]
    grade_label: str
    improvement: list[str]

    @property
    def has_caps(self) -> bool:
        return any(row.max_item is not None for row in self.rows)


def result_card(result: EvaluationResult) -> Card:
    """The card of ``result`` (its run, enterprise and zone loaded) under the run's own scheme."""
    scheme = result.run.document()
    pool = next((p for p in scheme.pools if p.code == result.pool), None)
    benchmarks = result.run.benchmarks.get(result.pool, {})
    weights = pool.weights if pool else {}
    caps = pool.caps if pool else {}
    rows = [
        IndicatorRow(
            name=scheme.indicators[code].name,
            unit=scheme.indicators[code].unit,
            value=result.values.get(code),
            benchmark=benchmarks.get(code),
            weight=weight,
            item=result.items.get(code),
            max_item=caps[code] * weight if code in caps else None,
        )
        for code, weight in weights.items()
    ]
    return Card(
        result=result,
        scheme=scheme,
        rows=rows,
        policies=policy_rows(scheme, result.managed_grade, result.years_in_grade),
        grade_label=scheme.grade_label(result.grade),
        improvement=improvement_lines(result.explanation, result.total),
    )


def improvement_lines(explanation: dict[str, Any], total: Any) -> list[str]:
    """The path to the next grade as plain sentences (the result sheet's wording)."""
    target, needed = explanation.get("target"), explanation.get("needed_total")
    if not target or needed is None:
        return []
    lines = [f"达到{target}类需总分{needed:.2f}(现{total}),其他指标不变时:"]
    more_tax = explanation.get("more_tax")
    if more_tax:
        per_mu = explanation.get("more_tax_per_mu")
        each = f"(每亩+{per_mu:,.4f}万元)" if per_mu is not None else ""
        lines.append(f"实缴税收增加{more_tax:,.2f}万元{each}")
    else:
        lines.append("仅靠增加税收无法达到")
    if less_energy := explanation.get("less_energy"):
        lines.append(f"或综合能耗减少{less_energy:,.2f}吨标准煤")
    return lines


@dataclass(frozen=True)
class PointsNote:
    """The bureau's bonus and penalty entries of the result's year, beside what the run read.

    ``counted`` holds, per rule column, the sum the run added or deducted from (0 when none);
    ``changed`` says the entries were added to or withdrawn since, which counts only once the
    run is computed again (or corrected by a new revision, once published).
    """

    entries: list[PointsEntry]
    counted: dict[str, float]
    changed: bool

    @property
    def shown(self) -> bool:
        return bool(self.entries) or any(self.counted.values())


def points_note(result: EvaluationResult, entries: Iterable[PointsEntry]) -> PointsNote:
    entries = list(entries)
    counted = {c: float(result.explanation.get(c) or 0) for c in POINTS_COLUMNS.values()}
    now = dict.fromkeys(POINTS_COLUMNS.values(), 0.0)
    for entry in entries:
        now[POINTS_COLUMNS[entry.kind]] += float(entry.points)
    changed = any(round(now[c] - counted[c], 2) != 0 for c in counted)
    return PointsNote(entries=entries, counted=counted, changed=changed)
