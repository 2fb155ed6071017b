"""A zone's digital profile (数字画像) in a run: what the profile page and the report show.

Group means and the other zones' totals are read without the viewer's scope on purpose: the
page shows only aggregates of them (a group mean, a rank), as the published ranking does, never
another zone's own figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import mean
from typing import Any

from django.db.models import Count

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.choices import RunState
from kaifaqu.assessment.compute import projected_share, straight_line
from kaifaqu.assessment.framework import Document, parse_document
from kaifaqu.assessment.models import RankTarget, Target, ZoneResult
from kaifaqu.assessment.runs import comparable_runs
from kaifaqu.catalog.models import Indicator
from kaifaqu.mujun.choices import RunState as MujunRunState
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun
from kaifaqu.zones.models import Zone, ZoneYear, ZoneYearSummary

SHOWN = 3  # strengths, weaknesses
LEVERS = 5


@dataclass(frozen=True)
class GradeMix:
    """Enterprises of the zone per managed grade (按此等级管理) in one published 亩均 run."""

    run: EvaluationRun
    counts: list[tuple[str, int]]


@dataclass
class Profile:
    result: ZoneResult
    doc: Document
    dimensions: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    strengths: list[dict[str, Any]] = field(default_factory=list)
    weaknesses: list[dict[str, Any]] = field(default_factory=list)
    levers: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    rank_targets: list[dict[str, Any]] = field(default_factory=list)
    enterprises: ZoneYearSummary | None = None
    grade_mix: GradeMix | None = None
    group_size: int = 0

    @property
    def interval(self) -> tuple[float | None, float | None]:
        return self.result.published_interval

    @property
    def levers_note(self) -> str:
        """What an empty lever table means, in the page's and the report's words."""
        if self.result.rank is None:
            return "未参与排名"
        if self.result.rank == 1:
            return "已居总排名第 1 名"
        return "任一指标单独提高到最优水平,都不能超过排在前面的开发区"

    def radar_chart(self) -> dict[str, list[Any]]:
        """The page's radar: each dimension's score against its group's mean."""
        return {
            "labels": [d["label"] for d in self.dimensions],
            "own": [d["score"] for d in self.dimensions],
            "group": [d["group_mean"] for d in self.dimensions],
        }

    def history_chart(self) -> dict[str, list[Any]]:
        """The page's rank history: the published rank and its interval by year."""
        return {
            "categories": [h["year"] for h in self.history],
            "rank": [h["rank"] for h in self.history],
            "low": [h["low"] for h in self.history],
            "high": [h["high"] for h in self.history],
        }


def build_profile(result: ZoneResult, user: ActingUser) -> Profile:
    doc = parse_document(result.run.version.document)
    peers = list(
        ZoneResult.objects.filter(run=result.run, total__isnull=False).only(
            "zone_id", "group", "total", "dimensions", "indicators", "rank", "group_rank"
        )
    )
    group = [p for p in peers if p.group == result.group] or peers
    profile = Profile(result=result, doc=doc, group_size=len(group))
    profile.dimensions = _dimensions(doc, result, group)
    profile.history = _history(result)
    if result.total is not None:
        ranked = _indicator_gaps(doc, result, group)
        profile.strengths = [r for r in ranked if r["gap"] > 0][:SHOWN]
        short = [r for r in ranked if r["gap"] < 0 and not r["at_best"]]
        profile.weaknesses = sorted(short, key=lambda r: r["gap"])[:SHOWN]
        profile.levers = _levers(doc, result, peers)
    profile.targets = target_progress(result.zone, user)
    profile.rank_targets = rank_target_progress(result.zone, user)
    profile.enterprises = (
        ZoneYearSummary.objects.restrict(user).filter(zone=result.zone).order_by("-year").first()
    )
    profile.grade_mix = grade_mix(result.zone, result.run.year, user)
    return profile


def _dimensions(doc: Document, result: ZoneResult, group: list[ZoneResult]) -> list[dict[str, Any]]:
    rows = []
    for code in doc.dimensions:
        values = [p.dimensions.get(code) for p in group if p.dimensions.get(code) is not None]
        rows.append(
            {
                "code": code,
                "label": doc.label(code),
                "weight": doc.weights[code],
                "score": result.dimensions.get(code),
                "rank": result.dimension_ranks.get(code),
                "group_mean": round(mean(values), 2) if values else None,
            }
        )
    return rows


def _history(result: ZoneResult) -> list[dict[str, Any]]:
    runs = comparable_runs(result.run).filter(year__lt=result.run.year).order_by("year", "created")
    latest = {r.year: r.pk for r in runs}
    past = ZoneResult.objects.filter(run_id__in=latest.values(), zone=result.zone)
    rows = [_point(r) for r in past.select_related("run")] + [_point(result)]
    return sorted(rows, key=lambda r: r["year"])


def _point(result: ZoneResult) -> dict[str, Any]:
    low, high = result.published_interval
    return {
        "year": result.run.year,
        "rank": result.published_rank,
        "low": low,
        "high": high,
        "total": result.total,
        "progress": result.progress,
    }


def _indicator_gaps(
    doc: Document, result: ZoneResult, group: list[ZoneResult]
) -> list[dict[str, Any]]:
    """Each indicator's normalised score against the group mean, best first.

    ``at_best``: the zone's value is the best the indicator can take in the framework's
    direction (no 较大及以上事故, a 100% rate), so however the group scores it is no 短板."""
    bounds = {i.code: i for i in Indicator.objects.filter(code__in=list(doc.indicators))}
    rows = []
    for code in doc.indicators:
        own = result.indicators.get(code, {})
        scores = [
            p.indicators[code]["score"] for p in group if p.indicators[code]["score"] is not None
        ]
        if own.get("score") is None or not scores:
            continue
        node = doc.framework.node(code)
        best = bounds[code].best_value(node.direction) if code in bounds else None
        value = own.get("value")
        rows.append(
            {
                "code": code,
                "label": doc.label(code),
                "unit": node.unit or "",
                "value": value,
                "at_best": best is not None and value is not None and float(best) == value,
                "score": round(own["score"], 2),
                "group_mean": round(mean(scores), 2),
                "gap": round(own["score"] - mean(scores), 2),
            }
        )
    return sorted(rows, key=lambda r: -r["gap"])


def _levers(doc: Document, result: ZoneResult, peers: list[ZoneResult]) -> list[dict[str, Any]]:
    """Indicators whose rise to the best zone's score would move the rank most (others held).

    Only rises that pass at least one zone are listed: a zone at rank 1 has none, and closing
    a gap that passes nobody (or only breaks a tie) is no lever. The new rank counts the zones
    still strictly ahead, as ties share the higher rank (1, 1, 3)."""
    if result.total is None or result.rank is None:
        return []
    others = [float(p.total) for p in peers if p.zone_id != result.zone_id and p.total is not None]
    total = float(result.total)
    rows = []
    for code in doc.indicators:
        own = result.indicators.get(code, {})
        best = max((p.indicators[code]["score"] or 0.0) for p in peers)
        if own.get("score") is None or best <= own["score"]:
            continue
        gain = own["weight"] * (best - own["score"])
        new_rank = 1 + sum(1 for t in others if t > total + gain)
        if new_rank >= result.rank:
            continue
        rows.append(
            {
                "label": doc.label(code),
                "gain": round(gain, 2),
                "rank": result.rank,
                "new_rank": new_rank,
                "moves": result.rank - new_rank,
            }
        )
    return sorted(rows, key=lambda r: (-r["moves"], -r["gain"]))[:LEVERS]


def target_progress(zone: Any, user: ActingUser) -> list[dict[str, Any]]:
    """Targets with the latest actual, the gap and the straight-line projection's share."""
    targets = list(Target.objects.restrict(user).filter(zone=zone).select_related("indicator"))
    codes = {t.indicator_id for t in targets}
    actuals: dict[int, list[tuple[int, float]]] = {pk: [] for pk in codes}
    rows = ZoneYear.objects.restrict(user).filter(
        zone=zone, indicator_id__in=codes, value__isnull=False
    )
    for indicator_id, year, value in rows.order_by("year").values_list(
        "indicator_id", "year", "value"
    ):
        actuals[indicator_id].append((year, float(value)))
    return [_target_row(t, actuals[t.indicator_id]) for t in targets]


def _target_row(target: Target, actual: list[tuple[int, float]]) -> dict[str, Any]:
    indicator: Indicator = target.indicator
    goal = float(target.value)
    before = [(y, v) for y, v in actual if y <= target.year]
    share = projected_share(
        [y for y, _ in before], [v for _, v in before], target.year, goal, indicator.direction
    )
    latest = before[-1] if before else None
    return {
        "target": target,
        "indicator": indicator,
        "latest_year": latest[0] if latest else None,
        "latest": latest[1] if latest else None,
        "gap": None if latest is None else round(goal - latest[1], 4),
        "share": None if share is None else round(100 * share),
    }


def rank_target_progress(zone: Zone, user: ActingUser) -> list[dict[str, Any]]:
    """Rank targets with the zone's published rank in each year's ranking of the target's level
    (the latest finished run of a year wins), the gap and the straight-line projection."""
    targets = list(RankTarget.objects.restrict(user).filter(zone=zone))
    if not targets:
        return []
    ranks: dict[str, dict[int, int]] = {t.level: {} for t in targets}
    rows = (
        ZoneResult.objects.restrict(user)
        .filter(zone=zone, run__state=RunState.DONE, run__level__in=list(ranks))
        .exclude(published_rank=None)
        .order_by("run__year", "run__created", "run_id")
        .values_list("run__level", "run__year", "published_rank")
    )
    for level, year, rank in rows:
        ranks[level][year] = rank
    return [_rank_target_row(t, ranks[t.level]) for t in targets]


def _rank_target_row(target: RankTarget, ranks: dict[int, int]) -> dict[str, Any]:
    before = sorted((y, r) for y, r in ranks.items() if y <= target.year)
    line = straight_line([y for y, _ in before], [float(r) for _, r in before], target.year)
    projected = None if line is None else max(1, round(line))
    latest = before[-1] if before else None
    reaches = None if projected is None else projected <= target.rank
    return {
        "target": target,
        "history": before,
        "latest_year": latest[0] if latest else None,
        "latest": latest[1] if latest else None,
        "gap": None if latest is None else latest[1] - target.rank,  # places still to climb
        "projected": projected,
        "reaches": reaches,
        "outlook": None
        if projected is None
        else f"{target.year}年预计第 {projected} 名,{'可达目标' if reaches else '达不到目标'}",
    }


def grade_mix(zone: Zone, year: int, user: ActingUser) -> GradeMix | None:
    """The grade mix of the latest published 亩均 run of ``year`` that covers ``zone``.

    Only runs the user may open count, so that the link to the run's zone view never leads to a
    404 (a city bureau sees its zones' results in a province run but not the run itself)."""
    runs = EvaluationRun.objects.restrict(user).filter(year=year, state=MujunRunState.PUBLISHED)
    results = EvaluationResult.objects.restrict(user).filter(zone=zone)
    latest = (
        results.filter(run__in=runs.values("pk"))
        .order_by("-run__published", "-run_id")
        .values_list("run_id", flat=True)
        .first()
    )
    if latest is None:
        return None
    run = EvaluationRun.objects.get(pk=latest)
    counted = dict(
        results.filter(run=run)
        .exclude(managed_grade="")
        .values_list("managed_grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grades = list(run.document().grading.grades)
    order = grades + sorted(set(counted) - set(grades))  # e.g. a scheme's "C-" band
    return GradeMix(run=run, counts=[(g, counted.get(g, 0)) for g in order])
