"""The ORM side of a run: zone-year data into the engine, results and findings back in bulk."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.choices import RankingLevel, RunState
from kaifaqu.assessment.compute import Assessment, Outcome, Unit, assess
from kaifaqu.assessment.framework import Document, parse_document
from kaifaqu.assessment.management import Firing, History, Position, evaluate, progress
from kaifaqu.assessment.models import AssessmentRun, Deduction, Finding, ZoneResult
from kaifaqu.audit.events import record_domain_event
from kaifaqu.audit.log import log_bulk
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import JobError
from kaifaqu.scoring import ENGINE_VERSION, ScoringError
from kaifaqu.zones.models import Zone, ZoneYear

HISTORY_YEARS = 5  # the longest window a rule looks back over


def run_zones(run: AssessmentRun, user: ActingUser) -> QuerySet[Zone]:
    """The zones a run covers: in the user's scope, of its province and kind when given."""
    zones = Zone.objects.restrict(user, "change").order_by("code")
    if run.province_code:
        zones = zones.filter(province_code=run.province_code)
    if run.zone_kind:
        zones = zones.filter(kind=run.zone_kind)
    return zones


def load_units(doc: Document, zones: list[Zone], year: int) -> tuple[list[Unit], dict[str, str]]:
    """One narrow projection of the year's values; returns the units that may be ranked and the
    disqualified zones with the reason."""
    values: dict[int, dict[str, float | None]] = defaultdict(dict)
    rows = ZoneYear.objects.filter(zone__in=zones, year=year, indicator__code__in=doc.indicators)
    for zone_id, code, value in rows.values_list("zone_id", "indicator__code", "value"):
        values[zone_id][code] = None if value is None else float(value)
    items = [*doc.others, *(d.code for d in doc.disqualifications)]
    entered: dict[int, dict[str, float]] = defaultdict(dict)
    deductions = Deduction.objects.filter(zone__in=zones, year=year, item__in=items)
    for zone_id, item, count in deductions.values_list("zone_id", "item", "count"):
        entered[zone_id][item] = float(count)
    units, disqualified = [], {}
    for zone in zones:
        reason = _disqualified(doc, entered[zone.pk])
        if reason:
            disqualified[zone.code] = reason
            continue
        others = {c: entered[zone.pk].get(c) for c in doc.others}
        units.append(Unit(zone.code, zone.comparison_group, values[zone.pk], others))
    return units, disqualified


def _disqualified(doc: Document, entered: dict[str, float]) -> str:
    reasons = [d.name for d in doc.disqualifications if entered.get(d.code, 0) >= d.at_least]
    return ";".join(reasons)


def execute_run(run: AssessmentRun, user: ActingUser, progress_bar: Progress) -> dict[str, Any]:
    """Compute and store one run; refuses (JobError) a run with no zone to rank."""
    doc = parse_document(run.version.document)
    zones = list(run_zones(run, user))
    progress_bar.start(4, "读取开发区年度指标")
    units, disqualified = load_units(doc, zones, run.year)
    if len(units) < 2:
        raise JobError(f"{run.year}年度可参评的开发区不足2个,无法排名")
    progress_bar.advance(message=f"计算得分与名次({len(units)}个开发区,{run.replications}次模拟)")
    try:
        assessment = assess(doc, units, replications=run.replications)
    except ScoringError as error:
        raise JobError(f"评分引擎拒绝了输入:{error}") from error
    progress_bar.advance(message="对比上年并评估动态管理规则")
    by_code = {z.code: z for z in zones}
    results = _results(run, doc, assessment, by_code, disqualified)
    history = _history(run, results)
    firings = evaluate(list(doc.rules), history, run.year)
    progress_bar.advance(message="写入结果")
    counts = _store(run, assessment, results, _findings(run, firings, by_code), user)
    progress_bar.advance(message="完成")
    return counts


def _results(
    run: AssessmentRun,
    doc: Document,
    assessment: Assessment,
    zones: dict[str, Zone],
    disqualified: dict[str, str],
) -> list[ZoneResult]:
    previous = _previous_ranks(run)
    rows = [_result(run, doc, o, zones[o.code], previous) for o in assessment.outcomes]
    rows += [
        ZoneResult(
            run=run,
            zone=zones[code],
            province_code=zones[code].province_code,
            group=zones[code].comparison_group,
            disqualified=reason,
            previous_rank=previous.get(zones[code].pk),
        )
        for code, reason in disqualified.items()
    ]
    return rows


def _result(
    run: AssessmentRun, doc: Document, o: Outcome, zone: Zone, previous: dict[int, int]
) -> ZoneResult:
    published = o.group_rank if doc.published_rank == "group" else o.rank
    before = previous.get(zone.pk)
    interval, group_interval = o.interval or (None, None), o.group_interval or (None, None)
    score_interval = o.score_interval or (None, None)
    return ZoneResult(
        run=run,
        zone=zone,
        province_code=zone.province_code,
        group=zone.comparison_group,
        total=Decimal(repr(o.total)),
        rank=o.rank,
        group_rank=o.group_rank,
        published_rank=published,
        rank_p05=interval[0],
        rank_p95=interval[1],
        rank_median=o.median_rank,
        rank_mean=o.mean_rank,
        score_median=o.score_median,
        score_p05=score_interval[0],
        score_p95=score_interval[1],
        group_p05=group_interval[0],
        group_p95=group_interval[1],
        previous_rank=before,
        progress=progress(before, published),
        dimensions=o.dimensions,
        dimension_ranks=o.dimension_ranks,
        indicators=o.indicators,
        deductions=o.deductions,
    )


def comparable_runs(run: AssessmentRun) -> QuerySet[AssessmentRun]:
    """Finished runs of the same framework (any version) over the same province and kind."""
    return AssessmentRun.objects.filter(
        version__framework_id=run.version.framework_id,
        province_code=run.province_code,
        zone_kind=run.zone_kind,
        state=RunState.DONE,
    ).exclude(pk=run.pk)


def latest_runs_by_year(run: AssessmentRun, years: range) -> dict[int, AssessmentRun]:
    runs = comparable_runs(run).filter(year__in=list(years)).order_by("year", "created")
    return {r.year: r for r in runs}  # the latest run of each year wins


def _previous_ranks(run: AssessmentRun) -> dict[int, int]:
    previous = latest_runs_by_year(run, range(run.year - 1, run.year)).get(run.year - 1)
    if previous is None:
        return {}
    rows = previous.results.filter(published_rank__isnull=False)
    return dict(rows.values_list("zone_id", "published_rank"))


def positions(results: list[ZoneResult], ranked_by: str) -> dict[str, Position]:
    ranked = [(r, r.rank) for r in results if r.rank is not None]
    groups = Counter(r.group for r, _ in ranked)
    return {
        r.zone.code: Position(
            rank=rank,
            size=len(ranked),
            group_rank=r.group_rank,
            group_size=groups[r.group],
            interval=_pair(r.rank_p05, r.rank_p95),
            group_interval=_pair(r.group_p05, r.group_p95),
            published_by=ranked_by,
        )
        for r, rank in ranked
    }


def _pair(low: float | None, high: float | None) -> tuple[float, float] | None:
    return None if low is None or high is None else (low, high)


def _history(run: AssessmentRun, results: list[ZoneResult]) -> History:
    history: History = {run.year: positions(results, run.ranked_by)}
    earlier = latest_runs_by_year(run, range(run.year - HISTORY_YEARS, run.year))
    for year, past in earlier.items():
        rows = list(past.results.select_related("zone"))
        history[year] = positions(rows, past.ranked_by)
    return history


def _findings(run: AssessmentRun, firings: list[Firing], zones: dict[str, Zone]) -> list[Finding]:
    return [
        Finding(
            run=run,
            zone=zones[f.zone],
            province_code=zones[f.zone].province_code,
            rule_code=f.rule.code,
            rule_name=f.rule.name[:100],
            action=f.rule.action,
            years=f.years,
            undistinguishable=f.undistinguishable,
            detail=f.detail,
        )
        for f in firings
    ]


def _store(
    run: AssessmentRun,
    assessment: Assessment,
    results: list[ZoneResult],
    findings: list[Finding],
    user: ActingUser,
) -> dict[str, Any]:
    counts = {
        "zones": len(results),
        "ranked": sum(1 for r in results if r.rank is not None),
        "disqualified": sum(1 for r in results if r.disqualified),
        "findings": len(findings),
    }
    with transaction.atomic():
        ZoneResult.objects.filter(run=run).delete()
        Finding.objects.filter(run=run).delete()
        ZoneResult.objects.bulk_create(results, batch_size=1000)
        Finding.objects.bulk_create(findings, batch_size=1000)
        run.state, run.finished = RunState.DONE, timezone.now()
        run.level = ranking_level(results)
        run.engine_version = ENGINE_VERSION
        run.input_hash = str(assessment.log.get("input_hash", ""))
        run.log, run.warnings = _plain(assessment.log), assessment.warnings
        run.save()
        log_bulk(ZoneResult, label=f"考核评价运行:{run}", counts=counts, acting_user=user)
        record_domain_event(
            "assessment_run_finished",
            summary=f"考核评价完成:{run}",
            acting_user=user,
            payload={"run": run.pk, **counts},
            province_code=run.province_code,
        )
    return {"run": run.pk, **counts}


def ranking_level(results: list[ZoneResult]) -> str:
    """National when the ranked zones come from more than one province."""
    provinces = {r.province_code for r in results}
    return RankingLevel.NATIONAL if len(provinces) > 1 else RankingLevel.PROVINCIAL


def _plain(log: dict[str, Any]) -> dict[str, Any]:
    """The engine's log without its bulky per-unit parts, as JSON-safe values."""
    keep = ("engine_version", "input_hash", "steps_hash", "steps", "units_in", "units_out")
    return {k: log[k] for k in keep if k in log}
