"""The 招商 KPI dashboard (funnel, trend, the KPI table against targets, days in stage, the table
per zone, city, province, industry or person; xlsx export) and the list of the projects behind
any of its numbers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from kaifaqu.core.charts import chart, series
from kaifaqu.core.exports import export_response
from kaifaqu.core.views import BusinessView
from kaifaqu.investment import kpi_report, kpis
from kaifaqu.investment.kpi_models import Kpi
from kaifaqu.investment.models import Project
from kaifaqu.investment.views import ProjectListView
from kaifaqu.zones.models import Zone

BY_CHOICES = [(code, label) for code, (_, label) in kpis.DIMENSIONS.items()]
FIRST_YEAR = 2000


class KpiForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=FIRST_YEAR, required=False)
    by = forms.ChoiceField(label="分组", choices=BY_CHOICES, required=False)
    zone = forms.ModelChoiceField(
        label="开发区", queryset=Zone.objects.none(), required=False, empty_label="全部开发区"
    )

    def __init__(self, data: Any, zones: QuerySet[Zone]) -> None:
        super().__init__(data)
        self.fields["zone"].queryset = zones  # type: ignore[attr-defined]


def period_of(request: HttpRequest) -> tuple[kpis.Period, str, Zone | None, KpiForm]:
    """The year, grouping and zone the request asks for (a bad value: the default)."""
    today = timezone.localdate()
    form = KpiForm(request.GET, Zone.objects.restrict(request.user).order_by("code"))
    form.is_valid()
    data = form.cleaned_data
    year = min(data.get("year") or today.year, today.year)
    return kpis.Period.year(year, today), data.get("by") or "zone", data.get("zone"), form


def projects_of(request: HttpRequest, zone: Zone | None) -> QuerySet[Project]:
    projects = Project.objects.restrict(request.user)
    return projects.filter(zone=zone) if zone is not None else projects


def export_rows(rows: list[kpi_report.Group], by_label: str) -> tuple[list[str], list[list[Any]]]:
    """The KPI table as a sheet: a row per group, each figure with its target."""
    if not rows:
        return [by_label], []
    headers = [by_label, "项目数"]
    for figure in rows[0].figures:
        unit = "%" if figure.unit == "%" else figure.unit
        headers += [f"{figure.label}({unit})", f"{figure.label}目标({unit})"]
    headers += ["加权项目储备(万元)", "在阶段天数中位数", "在阶段天数P90"]
    body = [
        [row.name, row.projects]
        + [v for f in row.figures for v in (f.value, f.target)]
        + [row.weighted_pipeline, row.days_median, row.days_p90]
        for row in rows
    ]
    return headers, body


class KpiDashboardView(BusinessView):
    def get(self, request: HttpRequest) -> HttpResponseBase:
        period, by, zone, form = period_of(request)
        data = kpis.compute(projects_of(request, zone), period)
        total = kpi_report.groups(data, period, None, zone)[0]
        rows = kpi_report.groups(data, period, by)
        by_label = kpis.DIMENSIONS[by][1]
        if request.GET.get("export") == "xlsx":
            headers, body = export_rows(rows, by_label)
            return export_response("xlsx", f"招商指标_{period.plan_year}年", headers, body)
        stages_ = kpi_report.funnel(data)
        years, lines = kpi_report.trend(data, period)
        charts = [
            chart(
                "chart-funnel",
                "项目转化漏斗(累计到达各阶段的项目数)",
                [label for label, _ in stages_],
                [series("项目数", "个", [n for _, n in stages_])],
                mark="bar",
                ordinal=True,
            ),
            chart(
                "chart-trend",
                "主要指标趋势",
                years,
                [series(Kpi(code).label, "%", values) for code, values in lines.items()],
                ordinal=True,
            ),
        ]
        context = {
            "form": form,
            "period": period,
            "by": by,
            "by_label": by_label,
            "zone": zone,
            "total": total,
            "rows": rows,
            "stages": kpi_report.stages(data),
            "charts": charts,
            "parts": kpi_report.PARTS,
        }
        return render(request, "investment/kpi_dashboard.html", context)


def _key(by: str, raw: str) -> Any:
    if raw == "":
        return None
    if by == "province":
        return raw
    try:
        return int(raw)
    except ValueError:
        raise Http404("分组取值有误") from None


class KpiProjectsView(ProjectListView):
    """The projects behind one number of the dashboard: the figure's own condition."""

    title = "指标明细项目"
    template_name = "investment/kpi_projects.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        period, _, zone, _ = period_of(request)
        figure, part = request.GET.get("figure", ""), request.GET.get("part", "")
        by = request.GET.get("group", "")
        projects = super().get_queryset(request)
        if part not in kpis.conditions(period).get(figure, {}) or by not in ("", *kpis.DIMENSIONS):
            return projects.none()  # no figure named: no projects behind it
        if zone is not None:
            projects = projects.filter(zone=zone)
        key = _key(by, request.GET.get("key", "")) if by else None
        label = kpi_report.STALLED_LABEL if figure == kpis.STALLED else Kpi(figure).label
        self.heading = f"{period.plan_year}年 {label} · {kpi_report.PARTS[part]}"
        return kpis.projects_behind(projects, period, figure, part, by or None, key)

    def get_title(self) -> str:
        return getattr(self, "heading", self.title)
