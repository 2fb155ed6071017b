"""Pages of the assessment app: frameworks, runs and rankings, status lists, profiles, targets."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from kaifaqu.access.scope import has_business_role
from kaifaqu.assessment import actions, svg
from kaifaqu.assessment.forms import (
    CopyForm,
    DeductionForm,
    RankTargetForm,
    RunForm,
    TargetForm,
    VersionForm,
)
from kaifaqu.assessment.framework import engine_toml, parse_document
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    Finding,
    RankTarget,
    Report,
    Target,
    ZoneResult,
)
from kaifaqu.assessment.profile import build_profile
from kaifaqu.assessment.runs import load_units
from kaifaqu.core.downloads import CSV, XLSX, download_response, file_download
from kaifaqu.core.views import BusinessView
from kaifaqu.zones.models import Zone
from kaifaqu.zones.validators import polygons


def _run(request: HttpRequest, pk: int) -> AssessmentRun:
    runs = AssessmentRun.objects.restrict(request.user).select_related("version__framework")
    return get_object_or_404(runs, pk=pk)


def _framework(request: HttpRequest, pk: int) -> AssessmentFramework:
    return get_object_or_404(AssessmentFramework.objects.restrict(request.user), pk=pk)


class IndexView(BusinessView):
    """The module's home: frameworks (presets and the bureau's own) and recent runs."""

    def get(self, request: HttpRequest) -> HttpResponse:
        frameworks = AssessmentFramework.objects.restrict(request.user).select_related("owner")
        runs = AssessmentRun.objects.restrict(request.user).select_related(
            "version__framework", "publication"
        )[:50]
        return render(
            request,
            "assessment/index.html",
            {"title": "开发区考核评价", "frameworks": frameworks, "runs": runs},
        )


class FrameworkView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework = _framework(request, pk)
        versions = list(framework.versions.select_related("created_by"))
        latest = versions[0] if versions else None
        doc = parse_document(latest.document) if latest else None
        editable = AssessmentFramework.objects.restrict(request.user, "change").filter(pk=pk)
        context = {
            "object": framework,
            "versions": versions,
            "latest": latest,
            "doc": doc,
            "tree": framework_tree(doc) if doc else [],
            "editable": editable.exists(),
            "copy_form": CopyForm(),
            "run_form": RunForm(initial={"year": 2025}),
            "version_form": VersionForm(initial={"document": latest.document if latest else ""}),
        }
        return render(request, "assessment/framework.html", context)


def framework_tree(doc: Any) -> list[dict[str, Any]]:
    fw = doc.framework
    return [
        {
            "label": doc.label(d),
            "weight": doc.weights[d],
            "indicators": [
                {"label": doc.label(c), "unit": fw.node(c).unit, "cost": fw.node(c).direction < 0}
                for c in fw.children(d)
            ],
        }
        for d in doc.dimensions
    ]


class CopyFrameworkView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        source = _framework(request, pk)
        form = CopyForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写方案代码和名称")
            return redirect(source)
        try:
            copy = actions.copy_framework(source, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
            return redirect(source)
        messages.success(request, f"已复制为本单位方案:{copy.name}")
        return redirect(copy)


class SaveVersionView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework = _framework(request, pk)
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                version = actions.save_version(
                    framework,
                    form.cleaned_data["document"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
                messages.success(request, f"已保存为第{version.number}版")
            except ValidationError as error:
                messages.error(request, ";".join(error.messages))
        return redirect(framework)


class PipelineExportView(BusinessView):
    """The engine's part of the latest version, for ``kaifaqu index run`` with a units table."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework = _framework(request, pk)
        latest = framework.latest()
        if latest is None:
            raise Http404
        text = engine_toml(parse_document(latest.document), "units.csv")
        toml = "application/toml; charset=utf-8"
        return download_response(text, f"{framework.code}.toml", toml)


class StartRunView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework = _framework(request, pk)
        form = RunForm(request.POST)
        latest = framework.latest()
        if not form.is_valid() or latest is None:
            messages.error(request, "请填写考核年度")
            return redirect(framework)
        kind = form.cleaned_data["zone_kind"]
        try:
            run = actions.start_run(
                latest,
                year=form.cleaned_data["year"],
                province_code=form.cleaned_data["province_code"],
                zone_kind=None if kind == "" else ("" if kind == "*" else kind),
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
            return redirect(framework)
        return redirect("jobs:job", pk=run.job_id)


def filtered_results(request: HttpRequest, run: AssessmentRun) -> QuerySet[ZoneResult]:
    results = ZoneResult.objects.ranking(request.user).filter(run=run)
    if group := request.GET.get("group"):
        results = results.filter(group=group)
    if q := request.GET.get("q"):
        results = results.filter(zone__name__contains=q)
    return results.select_related("zone", "run").order_by("published_rank", "zone__code")


class RunView(BusinessView):
    """The ranking: filters, 进位 arrows, intervals, dimension breakdown and a grid by score."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        doc = parse_document(run.version.document)
        results = list(filtered_results(request, run))
        groups = (
            ZoneResult.objects.ranking(request.user)
            .filter(run=run)
            .values_list("group", flat=True)
            .distinct()
            .order_by("group")
        )
        context = {
            "object": run,
            "doc": doc,
            "dim_labels": [doc.label(d) for d in doc.dimensions],
            "results": results,
            "rows": [_row(doc, r) for r in results],
            "groups": [g for g in groups if g],
            "findings": Finding.objects.restrict(request.user).filter(run=run).count(),
            "map": zone_map(run, results),
            "title": str(run),
        }
        return render(request, "assessment/run.html", context)


def _row(doc: Any, result: ZoneResult) -> dict[str, Any]:
    low, high = result.published_interval
    return {
        "r": result,
        "low": low,
        "high": high,
        "dims": [result.dimensions.get(d) for d in doc.dimensions],
        "heat": svg.score_colour(result.total),
    }


def zone_map(run: AssessmentRun, results: list[ZoneResult]) -> str:
    """The score map (svg.zone_map); links lead only to the profiles the user may open."""
    return mark_safe(svg.zone_map([_map_zone(run, r) for r in results]))


def _map_zone(run: AssessmentRun, result: ZoneResult) -> svg.MapZone:
    zone = result.zone
    try:
        shapes = polygons(zone.boundary) if zone.boundary else []
    except ValidationError:  # stored before the field was validated: fall back to the centre
        shapes = []
    lng, lat = zone.centre_lng, zone.centre_lat
    own = result.own  # type: ignore[attr-defined]  # annotated by ZoneResult.objects.ranking()
    return svg.MapZone(
        code=zone.code,
        name=zone.name,
        total=result.total,
        rank=result.published_rank,
        polygons=shapes,
        centre=(lng, lat) if lng is not None and lat is not None else None,
        href=reverse("assessment:profile", args=[run.pk, zone.pk]) if own else None,
    )


class RunExportView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        doc = parse_document(run.version.document)
        rows = list(filtered_results(request, run))
        return _xlsx(f"{run.year}-ranking.xlsx", _ranking_sheet(doc, rows))


def _ranking_sheet(doc: Any, rows: list[ZoneResult]) -> list[list[Any]]:
    header = ["公布名次", "P5", "P95", "开发区代码", "开发区", "比较组", "综合得分", "总排名"]
    header += ["组内排名", *(doc.label(d) for d in doc.dimensions), "进位", "取消资格原因"]
    header += ["平均名次", "名次中位数", "得分中位数", "得分区间P5", "得分区间P95"]
    table: list[list[Any]] = [header]
    for r in rows:
        low, high = r.published_interval
        table.append(
            [r.published_rank, low, high, r.zone.code, r.zone.name, r.group]
            + [None if r.total is None else float(r.total), r.rank, r.group_rank]
            + [r.dimensions.get(d) for d in doc.dimensions]
            + [r.progress, r.disqualified]
            + [r.rank_mean, r.rank_median, r.score_median, r.score_p05, r.score_p95]
        )
    return table


def _xlsx(filename: str, table: list[list[Any]]) -> HttpResponse:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("排名")
    for i, row in enumerate(table):
        sheet.write_row(i, 0, row)
    book.close()
    return download_response(buffer.getvalue(), filename, XLSX)


class UnitsExportView(BusinessView):
    """The run's zone-year table (iData: uCode, group, indicators, deduction items) for the
    zones the user may see; with the framework's pipeline file it runs offline:
    ``kaifaqu index run FRAMEWORK.toml`` beside ``units.csv``."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        doc = parse_document(run.version.document)
        visible = ZoneResult.objects.restrict(request.user).filter(run=run, total__isnull=False)
        zones = list(Zone.objects.filter(pk__in=visible.values("zone_id")).order_by("code"))
        units, _ = load_units(doc, zones, run.year)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["uCode", "group", *doc.indicators, *doc.others])
        for unit in units:
            values = [_cell(unit.values.get(c)) for c in doc.indicators]
            writer.writerow([unit.code, unit.group, *values, *(_cell(unit.others.get(c) or 0)
                                                             for c in doc.others)])  # fmt: skip
        return download_response(buffer.getvalue(), "units.csv", CSV)


def _cell(value: float | None) -> str:
    return "" if value is None else repr(value)


class PublishRunView(BusinessView):
    required_action = "publish"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        try:
            publication = actions.publish_ranking(run, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, ";".join(error.messages))
            return redirect(run)
        messages.success(request, "排名已发布")
        return redirect(publication)


class StatusView(BusinessView):
    """The dynamic-management status list: zone, rule, the years that made it fire."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        findings = (
            Finding.objects.restrict(request.user)
            .filter(run=run)
            .select_related("zone")
            .order_by("action", "zone__code")
        )
        context = {"object": run, "findings": findings, "title": f"{run} 动态管理"}
        return render(request, "assessment/status.html", context)


class CompareView(BusinessView):
    """Two runs side by side: each zone's rank and score in both, and the move."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        others = (
            AssessmentRun.objects.restrict(request.user)
            .filter(version__framework=run.version.framework_id, state="done")
            .exclude(pk=run.pk)
        )
        other = (
            others.filter(pk=request.GET.get("other") or 0).first()
            or others.filter(year__lt=run.year).order_by("-year", "-created").first()
        )
        mine = filtered_results(request, run)
        before = {}
        if other is not None:
            before = {r.zone_id: r for r in filtered_results(request, other)}
        rows = [{"now": r, "then": before.get(r.zone_id)} for r in mine]
        context = {"object": run, "other": other, "others": others, "rows": rows}
        return render(request, "assessment/compare.html", context)


class ProfileView(BusinessView):
    """A zone's digital profile in a run; another zone's profile does not exist for a zone user."""

    def get(self, request: HttpRequest, pk: int, zone: int) -> HttpResponse:
        result = get_object_or_404(
            ZoneResult.objects.restrict(request.user).select_related(
                "zone__region", "run__version__framework"
            ),
            run_id=pk,
            zone_id=zone,
        )
        profile = build_profile(result, request.user)
        report = Report.objects.restrict(request.user).filter(run_id=pk, zone_id=zone).first()
        radar = {
            "labels": [d["label"] for d in profile.dimensions],
            "own": [d["score"] for d in profile.dimensions],
            "group": [d["group_mean"] for d in profile.dimensions],
        }
        history = {
            "categories": [h["year"] for h in profile.history],
            "rank": [h["rank"] for h in profile.history],
            "low": [h["low"] for h in profile.history],
            "high": [h["high"] for h in profile.history],
        }
        context = {"p": profile, "r": result, "report": report, "radar": radar, "history": history}
        return render(request, "assessment/profile.html", context)

    def post(self, request: HttpRequest, pk: int, zone: int) -> HttpResponse:
        result = get_object_or_404(
            ZoneResult.objects.restrict(request.user).select_related("run", "zone"),
            run_id=pk,
            zone_id=zone,
        )
        job = actions.request_report(result.run, result.zone, acting_user=request.user)
        return redirect("jobs:job", pk=job.pk)


class ReportFileView(BusinessView):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> FileResponse:
        report = get_object_or_404(Report.objects.restrict(request.user), pk=pk)
        file = report.pdf if fmt == "pdf" else report.docx
        if not file:
            raise Http404
        return file_download(file.open("rb"), file.name.split("/")[-1])


class TargetListView(BusinessView):
    def get(self, request: HttpRequest) -> HttpResponse:
        targets = (
            Target.objects.restrict(request.user)
            .select_related("zone", "indicator")
            .order_by("zone__code", "year", "indicator__code")[:500]
        )
        rank_targets = (
            RankTarget.objects.restrict(request.user)
            .select_related("zone")
            .order_by("zone__code", "year", "level")[:500]
        )
        context = {
            "targets": targets,
            "rank_targets": rank_targets,
            "form": TargetForm(user=request.user),
            "rank_form": RankTargetForm(user=request.user),
            "title": "发展目标",
        }
        return render(request, "assessment/targets.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not _may_change(request.user):
            raise PermissionDenied("您的角色无权设定发展目标")
        form = TargetForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            actions.set_target(
                data["zone"],
                data["indicator"],
                year=data["year"],
                value=data["value"],
                note=data["note"],
                acting_user=request.user,
            )
            messages.success(request, "发展目标已保存")
        else:
            problems = ";".join(e for errors in form.errors.values() for e in errors)
            messages.error(request, f"发展目标未保存:{problems}")
        return redirect("assessment:targets")


class RankTargetView(BusinessView):
    """Saves a rank target (进位目标); they are listed and edited on the targets page."""

    required_action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RankTargetForm(request.POST, user=request.user)
        if form.is_valid():
            actions.set_rank_target(acting_user=request.user, **form.cleaned_data)
            messages.success(request, "名次目标已保存")
        else:
            messages.error(request, "名次目标未保存:请检查填写内容")
        return redirect("assessment:targets")


def _may_change(user: Any) -> bool:
    return has_business_role(user, "change")


class DeductionListView(BusinessView):
    """Entered deduction items and disqualifying accidents, per zone and year."""

    def get(self, request: HttpRequest) -> HttpResponse:
        entries = (
            Deduction.objects.restrict(request.user)
            .select_related("zone")
            .order_by("-year", "zone__code", "item")[:500]
        )
        context = {
            "entries": entries,
            "form": DeductionForm(user=request.user),
            "title": "扣分事项",
        }
        return render(request, "assessment/deductions.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not _may_change(request.user):
            raise PermissionDenied("您的角色无权录入扣分事项")
        form = DeductionForm(request.POST, user=request.user)
        if form.is_valid():
            actions.record_deduction(acting_user=request.user, **form.cleaned_data)
            messages.success(request, "扣分事项已保存")
        else:
            messages.error(request, "扣分事项未保存:请检查填写内容")
        return redirect("assessment:deductions")
