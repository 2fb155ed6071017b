"""The run dashboard: charts from the summary the run's job stored, never from the result rows."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from kaifaqu.catalog.models import Industry
from kaifaqu.core.charts import chart, series
from kaifaqu.mujun.models import EvaluationRun
from kaifaqu.zones.models import Zone

# The run's summary keys an enterprise without an industry code as "—".
NO_INDUSTRY = {"—": "未填行业"}


def _zones(run: EvaluationRun, zone_ids: list[int] | None) -> dict[str, Any]:
    by_zone = run.counts.get("by_zone", {})
    keys = [k for k in by_zone if zone_ids is None or int(k) in zone_ids]
    return {k: by_zone[k] for k in keys}


def _summed(table: dict[str, Any], keys: list[str]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key in keys:
        for outer, inner in table.get(key, {}).items():
            for grade, n in inner.items():
                out[outer][grade] += n
    return out


def scoped_counts(run: EvaluationRun, zone_ids: list[int] | None) -> dict[str, int]:
    """The run's enterprise counts over the zones the user may see: graded (参评) and read
    (读取, every status), so a zone office's page never shows the jurisdiction's totals."""
    statuses = run.counts.get("statuses", {})
    keys = [k for k in statuses if zone_ids is None or int(k) in zone_ids]
    graded = _zones(run, zone_ids)
    return {
        "graded": sum(n for grades in graded.values() for n in grades.values()),
        "units": sum(n for key in keys for n in statuses[key].values()),
    }


def dashboard_charts(run: EvaluationRun, zone_ids: list[int] | None) -> dict[str, Any]:
    grades = list(run.document().grading.grades)
    if run.document().grading.c_minus_below is not None:
        grades.insert(-1, run.document().grading.c_minus_label)
    per_zone = _zones(run, zone_ids)
    names = dict(Zone.objects.filter(pk__in=[int(k) for k in per_zone]).values_list("pk", "name"))
    zone_keys = sorted(per_zone, key=lambda k: names.get(int(k), ""))
    charts = [
        chart(
            "grades-by-zone",
            "各开发区等级分布(家)",
            [names.get(int(k), k) for k in zone_keys],
            [series(g, "家", [per_zone[k].get(g, 0) for k in zone_keys]) for g in grades],
            mark="bar",
            stack=True,
        )
    ]
    industries = _summed(run.counts.get("by_industry", {}), zone_keys)
    codes = sorted(industries)
    industry_names = dict(Industry.objects.filter(code__in=codes).values_list("code", "name"))
    charts.append(
        chart(
            "grades-by-industry",
            "各行业等级分布(家)",
            [industry_names.get(c) or NO_INDUSTRY.get(c, c) for c in codes],
            [series(g, "家", [industries[c].get(g, 0) for c in codes]) for g in grades],
            mark="bar",
            stack=True,
            others=True,
        )
    )
    bins: dict[str, int] = defaultdict(int)
    for key in zone_keys:
        for b, n in run.counts.get("histogram", {}).get(key, {}).items():
            bins[b] += n
    ordered = sorted(bins, key=int)
    charts.append(
        chart(
            "score-histogram",
            "总分分布(家)",
            [f"{b}–" for b in ordered],
            [series("企业数", "家", [bins[b] for b in ordered])],
            mark="bar",
            ordinal=True,
        )
    )
    transitions = _summed(run.counts.get("transitions", {}), zone_keys)
    matrix = [
        [before, [transitions.get(before, {}).get(after, 0) for after in grades]]
        for before in grades
    ]
    compared = [
        {
            "zone": names.get(int(k), k),
            "counts": [per_zone[k].get(g, 0) for g in grades],
            "total": sum(per_zone[k].values()),
        }
        for k in zone_keys
    ]
    return {
        "charts": charts,
        "grades": grades,
        "transitions": matrix,
        "zones": compared,
        "counts": scoped_counts(run, zone_ids),
    }
