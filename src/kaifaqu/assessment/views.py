"""Pages of the assessment app: frameworks, runs and rankings, status lists, profiles, targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kaifaqu.access.scope import has_business_role
from kaifaqu.assessment import actions, exports, maps, svg
from kaifaqu.assessment.filtersets import (
    DeductionFilterSet,
    FindingFilterSet,
    FrameworkFilterSet,
    RankTargetFilterSet,
    ResultFilterSet,
    RunFilterSet,
    TargetFilterSet,
)
from kaifaqu.assessment.forms import (
    CompareForm,
    CopyForm,
    DeductionForm,
    RankTargetForm,
    RunForm,
    TargetForm,
    VersionForm,
    ZoneEntryForm,
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
from kaifaqu.assessment.tables import (
    CompareTable,
    DeductionTable,
    FindingTable,
    FrameworkTable,
    RankTargetTable,
    ResultTable,
    RunTable,
    TargetTable,
)
from kaifaqu.core.downloads import CSV, XLSX, download_response, file_download
from kaifaqu.core.views import BusinessView, ObjectListView
from kaifaqu.zones.models import Zone


def _run(request: HttpRequest, pk: int) -> AssessmentRun:
    runs = AssessmentRun.objects.restrict(request.user).select_related("version__framework")
    return get_object_or_404(runs, pk=pk)


def _framework(request: HttpRequest, pk: int) -> AssessmentFramework:
    return get_object_or_404(AssessmentFramework.objects.restrict(request.user), pk=pk)


class IndexView(ObjectListView):
    """The module's home: the frameworks (presets and the bureau's own) and the way to the rest."""

    queryset = AssessmentFramework.objects.select_related("owner")
    filterset_class = FrameworkFilterSet
    table_class = FrameworkTable
    title = "开发区考核评价"
    template_name = "assessment/index.html"


class RunListView(ObjectListView):
    queryset = AssessmentRun.objects.select_related("version__framework", "publication")
    filterset_class = RunFilterSet
    table_class = RunTable
    title = "考核运行"
    template_name = "assessment/runs.html"


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


def ranking_rows(user: Any, run: AssessmentRun) -> QuerySet[ZoneResult]:
    """The rows of ``run``'s ranking ``user`` reads (``ZoneResult.objects.ranking``), in order."""
    rows = ZoneResult.objects.ranking(user).filter(run=run).select_related("zone", "run")
    return rows.order_by("published_rank", "zone__code")


def filtered_results(request: HttpRequest, run: AssessmentRun) -> QuerySet[ZoneResult]:
    """The ranking with the request's filters (comparison group, zone name)."""
    rows = ranking_rows(request.user, run)
    filterset = ResultFilterSet(request.GET, queryset=rows, request=request)
    return filterset.qs if filterset.is_valid() else rows.none()


class RunView(BusinessView):
    """The ranking: filters, 进位 arrows, intervals, dimension breakdown and a grid by score."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        doc = parse_document(run.version.document)
        rows = ranking_rows(request.user, run)
        filterset = ResultFilterSet(request.GET, queryset=rows, request=request)
        results = list(filterset.qs if filterset.is_valid() else rows.none())
        context = {
            "object": run,
            "title": str(run),
            "filterset": filterset,
            "table": ResultTable.for_document(doc, results),
            "rows": [{"r": r, "heat": svg.score_colour(r.total)} for r in results],
            "findings": Finding.objects.restrict(request.user).filter(run=run).count(),
            "map": maps.zone_map(run, results),
        }
        return render(request, "assessment/run.html", context)


class RunExportView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        doc = parse_document(run.version.document)
        workbook = exports.ranking_xlsx(doc, filtered_results(request, run))
        return download_response(workbook, f"{run.year}-ranking.xlsx", XLSX)


class UnitsExportView(BusinessView):
    """The run's zone-year table for the zones the user may see; with the framework's pipeline
    file it runs offline: ``kaifaqu index run FRAMEWORK.toml`` beside ``units.csv``."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        doc = parse_document(run.version.document)
        visible = ZoneResult.objects.restrict(request.user).filter(run=run, total__isnull=False)
        zones = list(Zone.objects.filter(pk__in=visible.values("zone_id")).order_by("code"))
        units, _ = load_units(doc, zones, run.year)
        return download_response(exports.units_csv(doc, units), "units.csv", CSV)


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
        findings = Finding.objects.restrict(request.user).filter(run=run).select_related("zone")
        filterset = FindingFilterSet(request.GET, queryset=findings, request=request)
        rows = filterset.qs if filterset.is_valid() else findings.none()
        context = {
            "object": run,
            "title": f"{run} 动态管理",
            "filterset": filterset,
            "table": FindingTable(list(rows.order_by("action", "zone__code"))),
        }
        return render(request, "assessment/status.html", context)


class CompareView(BusinessView):
    """Two runs side by side: each zone's rank and score in both, and the move."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = _run(request, pk)
        others = (
            AssessmentRun.objects.restrict(request.user)
            .filter(version__framework=run.version.framework_id, state="done")
            .exclude(pk=run.pk)
            .select_related("version")
        )
        form = CompareForm(request.GET, others=others)
        other = (
            form.chosen() or others.filter(year__lt=run.year).order_by("-year", "-created").first()
        )
        rows = compared(filtered_results(request, run), request.user, other)
        other_year = other.year if other else None
        context = {
            "object": run,
            "other": other,
            "form": form,
            "table": CompareTable(list(rows), year=run.year, other_year=other_year),
        }
        return render(request, "assessment/compare.html", context)


def compared(
    results: QuerySet[ZoneResult], user: Any, other: AssessmentRun | None
) -> QuerySet[ZoneResult]:
    """``results`` with the same zone's published rank and score in ``other`` as the user reads
    that run's ranking (``then_rank``, ``then_total``; empty without a run to compare with)."""
    then = ZoneResult.objects.ranking(user).filter(run=other, zone=OuterRef("zone"))
    return results.annotate(
        then_rank=Subquery(then.values("published_rank")[:1]),
        then_total=Subquery(then.values("total")[:1]),
    )


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


class EntryMixin:
    """Entering a row of a zone (a target, a deduction) through a form and the app's action.

    The list page takes the POST, as it always has; the entry page shows the form. A refused
    form is reported as a message on the list, and nothing is written.
    """

    form_class: ClassVar[type[ZoneEntryForm]]
    action: ClassVar[Callable[..., Any]]  # called with the form's cleaned data
    list_url: ClassVar[str]
    entry_title: ClassVar[str]
    entry_hint: ClassVar[str] = ""
    saved: ClassVar[str]

    def post(self, request: HttpRequest) -> HttpResponse:
        if not has_business_role(request.user, "change"):
            raise PermissionDenied(f"您的角色无权{self.entry_title}")
        form = self.form_class(request.POST, user=request.user)
        if form.is_valid():
            self.action(acting_user=request.user, **form.cleaned_data)
            messages.success(request, f"{self.saved}已保存")
        else:
            messages.error(request, f"{self.saved}未保存:请检查填写内容")
        return redirect(self.list_url)


class EntryPage(EntryMixin, BusinessView):
    """The form of an entry, posting to its list."""

    required_action = "change"

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "title": self.entry_title,
            "hint": self.entry_hint,
            "form": self.form_class(user=request.user),
            "list_url": reverse(self.list_url),
        }
        return render(request, "assessment/entry.html", context)


class TargetEntry(EntryMixin):
    form_class = TargetForm
    action = staticmethod(actions.set_target)
    list_url = "assessment:targets"
    entry_title = "设定发展目标"
    saved = "发展目标"


class RankTargetEntry(EntryMixin):
    form_class = RankTargetForm
    action = staticmethod(actions.set_rank_target)
    list_url = "assessment:rank_targets"
    entry_title = "设定名次目标(进位目标)"
    entry_hint = (
        "如“进入全国前10位”填全国排名、10;“每年至少进1位”按上年公布名次减1填写。"
        "按比较组公布名次的排名,目标为组内名次。"
    )
    saved = "名次目标"


class DeductionEntry(EntryMixin):
    form_class = DeductionForm
    action = staticmethod(actions.record_deduction)
    list_url = "assessment:deductions"
    entry_title = "录入扣分与否决事项"
    saved = "扣分事项"


class TargetListView(TargetEntry, ObjectListView):
    queryset = Target.objects.select_related("zone", "indicator")
    filterset_class = TargetFilterSet
    table_class = TargetTable
    title = "发展目标"
    template_name = "assessment/targets.html"


class TargetEntryView(TargetEntry, EntryPage):
    pass


class RankTargetListView(RankTargetEntry, ObjectListView):
    """Rank targets (进位目标), saved here and shown on the profiles with the way to them."""

    queryset = RankTarget.objects.select_related("zone")
    filterset_class = RankTargetFilterSet
    table_class = RankTargetTable
    title = "名次目标"
    template_name = "assessment/targets.html"


class RankTargetEntryView(RankTargetEntry, EntryPage):
    pass


class DeductionListView(DeductionEntry, ObjectListView):
    """Entered deduction items and disqualifying accidents, per zone and year."""

    queryset = Deduction.objects.select_related("zone")
    filterset_class = DeductionFilterSet
    table_class = DeductionTable
    title = "扣分与否决事项"
    template_name = "assessment/deductions.html"


class DeductionEntryView(DeductionEntry, EntryPage):
    pass
