"""Pages of the assessment app: frameworks, runs and rankings, status lists, profiles, targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment import actions, svg
from kaifaqu.assessment.exports import (
    ranking_download,
    ranking_results,
    report_file,
    units_download,
)
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
from kaifaqu.core.downloads import download_response
from kaifaqu.core.views import (
    BusinessView,
    ObjectChildrenListView,
    ObjectCreateView,
    ObjectListView,
)


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
    default_sort = "code"
    template_name = "assessment/index.html"


class RunListView(ObjectListView):
    queryset = AssessmentRun.objects.select_related("version__framework", "publication")
    filterset_class = RunFilterSet
    table_class = RunTable
    title = "考核运行"
    default_sort = "-year"
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


class RunResultsView(ObjectChildrenListView):
    """A list of a run's ranking rows: those of the user's scope and, once the ranking is
    published to the user, every row of it (``ZoneResult.objects.ranking``)."""

    parent_queryset = AssessmentRun.objects.select_related("version__framework", "publication")
    parent_field = "run"
    queryset = ZoneResult.objects.all()
    filterset_class = ResultFilterSet

    def get_queryset(self, request: HttpRequest) -> QuerySet[ZoneResult]:
        self.parent = self.get_parent(request)
        return ranking_results(request.user, self.parent)


class RunView(RunResultsView):
    """The ranking: filters, 进位 arrows, intervals, dimension breakdown, a grid and a map by
    score (the grid and map hold every filtered row, the table a page of them)."""

    table_class = ResultTable
    default_sort = "published_rank"
    find_label = "定位开发区"
    exportable = False  # the ranking's own export (RunExportView) keeps intervals as numbers
    template_name = "assessment/run.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ZoneResult]:
        rows = super().get_queryset(request)
        # the dimension columns are the run's framework's
        table = ResultTable.for_document(parse_document(self.parent.version.document))
        self.table_class = table  # type: ignore[misc]
        return rows

    def find_row(self, ordered: QuerySet[ZoneResult], text: str) -> ZoneResult | None:
        """The first zone in the ranking whose name holds ``text``, or whose code it is."""
        return ordered.filter(Q(zone__name__icontains=text) | Q(zone__code__iexact=text)).first()

    def get_filterset(self, request: HttpRequest) -> django_filters.FilterSet:
        self.filterset = super().get_filterset(request)  # its rows also make the grid and map
        return self.filterset

    def get_title(self) -> str:
        return str(self.parent)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        filterset = self.filterset
        results = list(filterset.qs) if filterset.is_valid() else []
        return {
            "object": self.parent,
            "rows": [{"r": r, "heat": svg.score_colour(r.total)} for r in results],
            "findings": Finding.objects.restrict(request.user).filter(run=self.parent).count(),
            "map_results": results,
        }


class RunExportView(RunResultsView):
    """The ranking as the page filters it, as xlsx, with the intervals and medians as numbers."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        results = self.filtered_queryset(request)  # reads the run into self.parent
        return ranking_download(self.parent, results)


class UnitsExportView(BusinessView):
    """The run's zone-year table for the zones the user may see; with the framework's pipeline
    file it runs offline: ``kaifaqu index run FRAMEWORK.toml`` beside ``units.csv``."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return units_download(_run(request, pk), request.user)


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


class StatusView(ObjectChildrenListView):
    """The dynamic-management status list: zone, rule, the years that made it fire."""

    parent_queryset = AssessmentRun.objects.select_related("version__framework")
    parent_field = "run"
    queryset = Finding.objects.select_related("zone")
    filterset_class = FindingFilterSet
    table_class = FindingTable
    default_sort = "action"
    template_name = "assessment/status.html"
    title = "动态管理名单"


class CompareView(RunResultsView):
    """Two runs side by side: each zone's rank and score in both, and the move. The run compared
    with is chosen on the page, else the latest earlier one of the same framework."""

    table_class = CompareTable
    default_sort = "published_rank"
    template_name = "assessment/compare.html"
    title = "年度比较"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ZoneResult]:
        rows = super().get_queryset(request)
        others = (
            AssessmentRun.objects.restrict(request.user)
            .filter(version__framework=self.parent.version.framework_id, state="done")
            .exclude(pk=self.parent.pk)
            .select_related("version")
        )
        self.form = CompareForm(request.GET, others=others)
        earlier = others.filter(year__lt=self.parent.year).order_by("-year", "-created")
        self.other = self.form.chosen() or earlier.first()
        return compared(rows, request.user, self.other)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"object": self.parent, "other": self.other, "form": self.form}


def compared(
    results: QuerySet[ZoneResult], user: ActingUser, other: AssessmentRun | None
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
        context = {
            "p": profile,
            "r": result,
            "report": report,
            "radar": profile.radar_chart(),
            "history": profile.history_chart(),
        }
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
        return report_file(report, fmt)


class EntryCreateView(ObjectCreateView):
    """A row of a zone (a target, a deduction) entered through a form offering only the zones the
    user may change, saved by the app's action; then back to its list."""

    list_url: ClassVar[str]
    form_class: ClassVar[type[ZoneEntryForm]]
    template_name = "assessment/entry.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, self.form_class(user=request.user), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.save(request, self.form_class(request.POST, user=request.user), None)

    def get_success_url(self, saved: Any) -> str:
        return reverse(self.list_url)


def _with_form(action: Callable[..., Any]) -> Callable[..., Any]:
    """``action`` called as the generic form views call one: with the form and the user."""

    def save(form: ZoneEntryForm, *, acting_user: ActingUser) -> Any:
        return action(acting_user=acting_user, **form.cleaned_data)

    return save


class TargetListView(ObjectListView):
    queryset = Target.objects.select_related("zone", "indicator")
    filterset_class = TargetFilterSet
    table_class = TargetTable
    title = "发展目标"
    default_sort = "zone"
    template_name = "assessment/targets.html"


class TargetCreateView(EntryCreateView):
    form_class = TargetForm
    action = _with_form(actions.set_target)
    title = "设定发展目标"
    list_url = "assessment:targets"


class RankTargetListView(ObjectListView):
    """Rank targets (进位目标); each zone's profile shows the way to its own."""

    queryset = RankTarget.objects.select_related("zone")
    filterset_class = RankTargetFilterSet
    table_class = RankTargetTable
    title = "名次目标"
    default_sort = "zone"
    template_name = "assessment/targets.html"


class RankTargetCreateView(EntryCreateView):
    form_class = RankTargetForm
    action = _with_form(actions.set_rank_target)
    title = "设定名次目标(进位目标)"
    list_url = "assessment:rank_targets"
    template_name = "assessment/rank_target_entry.html"


class DeductionListView(ObjectListView):
    """Entered deduction items and disqualifying accidents, per zone and year."""

    queryset = Deduction.objects.select_related("zone")
    filterset_class = DeductionFilterSet
    table_class = DeductionTable
    title = "扣分与否决事项"
    default_sort = "-year"
    template_name = "assessment/deductions.html"


class DeductionCreateView(EntryCreateView):
    form_class = DeductionForm
    action = _with_form(actions.record_deduction)
    title = "录入扣分与否决事项"
    list_url = "assessment:deductions"
