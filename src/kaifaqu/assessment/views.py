"""Pages of the assessment app: frameworks, runs and rankings, status lists, profiles, targets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from kaifaqu.access.permissions import ensure_can
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
    FrameworkEditForm,
    RankTargetForm,
    RunForm,
    TargetForm,
    VersionForm,
    ZoneEntryForm,
)
from kaifaqu.assessment.framework import engine_toml, parse_document, with_values
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    Finding,
    FrameworkVersion,
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
    ObjectTransitionView,
)
from kaifaqu.publications.models import Publication


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


class FrameworkStepView(ObjectTransitionView):
    """A write posted from a framework's page. An invalid form is told as ``invalid``, one
    sentence for the whole form ("" says nothing)."""

    queryset = AssessmentFramework.objects.all()
    invalid: ClassVar[str] = ""

    def form_errors(self, form: forms.BaseForm) -> str:
        return self.invalid


class CopyFrameworkView(FrameworkStepView):
    form_class, invalid = CopyForm, "请填写方案代码和名称"

    def perform(
        self, source: AssessmentFramework, data: dict[str, Any], user: ActingUser
    ) -> AssessmentFramework:
        return actions.copy_framework(source, acting_user=user, **data)

    def success_message(self, source: AssessmentFramework, copy: AssessmentFramework) -> str:
        return f"已复制为本单位方案:{copy.name}"

    def get_success_url(
        self, source: AssessmentFramework, copy: AssessmentFramework
    ) -> AssessmentFramework:
        return copy


class SaveVersionView(FrameworkStepView):
    form_class = VersionForm

    def perform(
        self, framework: AssessmentFramework, data: dict[str, Any], user: ActingUser
    ) -> FrameworkVersion:
        return actions.save_version(
            framework, data["document"], note=data["note"], acting_user=user
        )

    def success_message(self, framework: AssessmentFramework, version: FrameworkVersion) -> str:
        return f"已保存为第{version.number}版"


class FrameworkEditView(BusinessView):
    """The form editor of a bureau's framework: weights, directions, targets and thresholds,
    written back into the latest document (comments kept) and saved as a new version. The
    TOML itself stays on the framework page (高级:TOML)."""

    required_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework, latest = self._editable(request, pk)
        form = FrameworkEditForm(document=parse_document(latest.document))
        return self._render(request, framework, latest, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        framework, latest = self._editable(request, pk)
        form = FrameworkEditForm(request.POST, document=parse_document(latest.document))
        if form.is_valid() and not form.changes():
            form.add_error(None, "没有修改任何数值")
        if form.is_valid():
            document = with_values(latest.document, form.changes())
            try:
                version = actions.save_version(
                    framework, document, note=form.cleaned_data["note"], acting_user=request.user
                )
            except ValidationError as error:
                form.add_error(None, ";".join(error.messages))
            else:
                messages.success(request, f"已保存为第{version.number}版")
                return redirect(framework)
        return self._render(request, framework, latest, form)

    def _editable(
        self, request: HttpRequest, pk: int
    ) -> tuple[AssessmentFramework, FrameworkVersion]:
        framework = _framework(request, pk)
        ensure_can(request.user, "assessment.save_version", framework)
        latest = framework.latest()
        if latest is None:
            raise Http404
        return framework, latest

    def _render(
        self,
        request: HttpRequest,
        framework: AssessmentFramework,
        latest: FrameworkVersion,
        form: FrameworkEditForm,
    ) -> HttpResponse:
        context = {"object": framework, "latest": latest, "form": form}
        return render(request, "assessment/framework_edit.html", context)


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


class StartRunView(FrameworkStepView):
    form_class, invalid = RunForm, "请填写考核年度"

    def perform(
        self, framework: AssessmentFramework, data: dict[str, Any], user: ActingUser
    ) -> AssessmentRun:
        latest = framework.latest()
        if latest is None:
            raise ValidationError("请填写考核年度")
        kind = data["zone_kind"]
        return actions.start_run(
            latest,
            year=data["year"],
            province_code=data["province_code"],
            zone_kind=None if kind == "" else ("" if kind == "*" else kind),
            acting_user=user,
        )

    def get_success_url(self, framework: AssessmentFramework, run: AssessmentRun) -> str:
        return reverse("jobs:job", kwargs={"pk": run.job_id})


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


class PublishRunView(ObjectTransitionView):
    required_action = "publish"
    queryset = AssessmentRun.objects.select_related("version__framework")
    done = "排名已发布"

    def perform(self, run: AssessmentRun, data: dict[str, Any], user: ActingUser) -> Publication:
        return actions.publish_ranking(run, acting_user=user)

    def get_success_url(self, run: AssessmentRun, publication: Publication) -> Publication:
        return publication


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
