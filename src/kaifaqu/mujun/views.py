"""Pages of the 亩均 app. Views stay thin: reads through ``restrict``, writes through actions."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRefresh

from kaifaqu.access.scope import has_business_role, summary_zone_ids, user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.core.pagination import list_page
from kaifaqu.core.scoped import restricted
from kaifaqu.core.uploads import upload_refusal
from kaifaqu.core.views import (
    EXPORT_CHUNK,
    BusinessView,
    ObjectChildrenListView,
    ObjectDeleteView,
    ObjectListView,
    ObjectTransitionView,
    is_htmx,
)
from kaifaqu.jobs.actions import reap_stale_jobs
from kaifaqu.mujun import actions
from kaifaqu.mujun.card import points_note, result_card
from kaifaqu.mujun.choices import CORRECTABLE_FIELDS, PUBLIC_STATES, RunState
from kaifaqu.mujun.dashboard import dashboard_charts
from kaifaqu.mujun.exports import (
    changes_response,
    points_response,
    result_sheet_response,
    workbook_response,
)
from kaifaqu.mujun.filtersets import (
    ObjectionFilterSet,
    PointsFilterSet,
    PolicyFilterSet,
    ResultFilterSet,
    RunFilterSet,
    SchemeFilterSet,
    ZoneResultFilterSet,
)
from kaifaqu.mujun.forms import (
    DecisionForm,
    ExportZoneForm,
    ObjectionForm,
    PresetForm,
    PublicityForm,
    RunStartForm,
    SchemeDocumentForm,
    SchemeEditForm,
)
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry, Scheme
from kaifaqu.mujun.points import KINDS, check_rows, form_row, read_file
from kaifaqu.mujun.policies import policy_rows
from kaifaqu.mujun.revisions import Change, revision_changes
from kaifaqu.mujun.scheme import SchemeError, list_presets
from kaifaqu.mujun.scheme_edit import edited_document
from kaifaqu.mujun.simulation import simulator
from kaifaqu.mujun.tables import (
    ObjectionTable,
    PointsTable,
    PolicyTable,
    ResultTable,
    RunTable,
    SchemeTable,
    ZoneResultTable,
)
from kaifaqu.zones.models import Zone

RUNS = EvaluationRun.objects.select_related("scheme", "region", "zone", "job", "supersedes")


def _run(request: HttpRequest, pk: int, action: str = "view") -> EvaluationRun:
    runs = restricted(RUNS, request.user, action)
    run: EvaluationRun = get_object_or_404(runs, pk=pk)
    return run


def _error_text(error: ValidationError) -> str:
    return ";".join(error.messages)


def _form_errors(form: forms.BaseForm) -> str:
    """Every message of an invalid form, in field order."""
    return ";".join(str(message) for errors in form.errors.values() for message in errors)


class SchemeListView(ObjectListView):
    """The schemes the user reads; POST copies a preset as a scheme of the user's region."""

    queryset = Scheme.objects.select_related("region")
    filterset_class = SchemeFilterSet
    table_class = SchemeTable
    title = "评价方案"
    template_name = "mujun/scheme_list.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"presets": list_presets()}

    def post(self, request: HttpRequest) -> HttpResponse:
        profile = user_profile(request.user)
        if profile is None or profile.region is None:
            messages.error(request, "只有区划机关的用户可以建立评价方案")
            return redirect("mujun:scheme_list")
        form = PresetForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_errors(form))
            return redirect("mujun:scheme_list")
        try:
            scheme = actions.copy_preset(
                form.cleaned_data["preset"], region=profile.region, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("mujun:scheme_list")
        return redirect(scheme)


class SchemeDetailView(BusinessView):
    def get(self, request: HttpRequest, pk: int, problems: list[str] | None = None) -> HttpResponse:
        scheme = get_object_or_404(Scheme.objects.restrict(request.user), pk=pk)
        context: dict[str, Any] = {"object": scheme, "problems": problems or []}
        try:
            context["parsed"] = scheme.parsed()
        except SchemeError as error:
            context["problems"] = error.problems
        return render(request, "mujun/scheme_detail.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        scheme = get_object_or_404(Scheme.objects.restrict(request.user, "change"), pk=pk)
        form = SchemeDocumentForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, problems=[_form_errors(form)])
        try:
            new = actions.save_scheme_version(
                scheme, form.cleaned_data["document"], acting_user=request.user
            )
        except ValidationError as error:
            return self.get(request, pk, problems=error.messages)
        messages.success(request, f"已保存为第{new.version}版")
        return redirect(new)


class SchemeEditView(BusinessView):
    """A scheme's figures in a form (weights, benchmarks, grading shares, the 公示 window, the
    land threshold), written into its TOML and saved as the next version; the scheme's page
    keeps the whole document as 高级:TOML."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        scheme, parsed = self._scheme(request, pk)
        return self._page(request, scheme, SchemeEditForm(scheme=parsed))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        scheme, parsed = self._scheme(request, pk)
        form = SchemeEditForm(request.POST, scheme=parsed)
        if not form.is_valid():
            return self._page(request, scheme, form)
        document = edited_document(scheme.document, parsed, form.edit())
        try:
            new = actions.save_scheme_version(scheme, document, acting_user=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self._page(request, scheme, form)
        messages.success(request, f"已保存为第{new.version}版")
        return redirect(new)

    def _scheme(self, request: HttpRequest, pk: int) -> tuple[Scheme, Any]:
        """The version to edit; one that does not read is mended in its TOML view instead."""
        scheme = get_object_or_404(Scheme.objects.restrict(request.user, "change"), pk=pk)
        try:
            return scheme, scheme.parsed()
        except SchemeError:
            raise Http404("该版本方案有误,请在方案页的“高级:TOML”中修改") from None

    def _page(self, request: HttpRequest, scheme: Scheme, form: SchemeEditForm) -> HttpResponse:
        return render(request, "mujun/scheme_edit.html", {"object": scheme, "form": form})


class RunListView(ObjectListView):
    """The runs the user reads, and the form that starts one."""

    queryset = EvaluationRun.objects.select_related("region", "zone", "scheme", "publicity__author")
    filterset_class = RunFilterSet
    table_class = RunTable
    title = "亩均效益综合评价"
    template_name = "mujun/run_list.html"
    default_sort = "-id"

    def get_table_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        return {"zone_ids": summary_zone_ids(request.user)}

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        if not has_business_role(request.user, "change"):
            return {}
        initial = {"year": date.today().year - 1}
        # ids of its own: the filter bar on the same page has a year too
        form = RunStartForm(user=request.user, initial=initial, auto_id="start_%s")
        return {"start_form": form}

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RunStartForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, "请选择方案、年度与评价的开发区")
            return redirect("mujun:run_list")
        zone = form.cleaned_data["zone"]
        profile = user_profile(request.user)
        region = zone.region if zone else (profile.region if profile else None)
        if region is None:
            messages.error(request, "请选择评价的开发区")
            return redirect("mujun:run_list")
        try:
            run = actions.start_run(
                form.cleaned_data["scheme"],
                year=form.cleaned_data["year"],
                region=region,
                zone=zone,
                acting_user=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("mujun:run_list")
        return redirect(run)


class RunResultsView(ObjectChildrenListView):
    """The results of the run the URL names, in the user's scope."""

    queryset = EvaluationResult.objects.select_related("enterprise", "zone")
    parent_queryset = RUNS
    parent_field = "run"

    def get_table_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        return {"document": self.parent.parsed_document}


class RunDetailView(RunResultsView):
    """The run dashboard over its results list; while its job runs, the page polls here (htmx,
    marked by ``X-Kaifaqu-Poll``) for the progress."""

    filterset_class = ResultFilterSet
    table_class = ResultTable
    template_name = "mujun/run_detail.html"
    context_object_name = "results"

    def get_title(self) -> str:
        return str(self.parent)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        if request.headers.get("X-Kaifaqu-Poll"):
            return _progress(request, self.get_parent(request))
        return super().get(request, **kwargs)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        run = self.parent
        return {
            "object": run,
            "charts": dashboard_charts(run, summary_zone_ids(request.user)),
            "objections": Objection.objects.restrict(request.user)
            .filter(result__run=run, state="pending")
            .count(),
            "parsed": run.document(),
            "corrected_by": EvaluationRun.objects.restrict(request.user).filter(supersedes=run),
        }


class ObjectionListView(ObjectChildrenListView):
    """The objections to one run's results, to decide the pending ones."""

    queryset = Objection.objects.select_related("result__enterprise", "filed_by")
    parent_queryset = EvaluationRun.objects.all()
    parent_field = "result__run"
    filterset_class = ObjectionFilterSet
    table_class = ObjectionTable
    template_name = "mujun/objection_list.html"
    context_object_name = "objections"

    def get_title(self) -> str:
        return f"{self.parent} · 异议"


def _progress(request: HttpRequest, run: EvaluationRun) -> HttpResponse:
    """The job's progress while it runs; once it stopped, a reload that shows the outcome."""
    reap_stale_jobs()  # a lost worker's job would otherwise be polled for ever
    job = run.job  # read afresh with the run in this request
    if job is not None and job.is_active:
        return render(request, "mujun/includes/run_progress.html", {"object": run, "job": job})
    return HttpResponseClientRefresh()


class MujunTransitionView(ObjectTransitionView):
    """A write posted from a 亩均 page: an invalid form's messages (no labels) or the action's
    refusal shown as a message on the page it came from."""

    def form_errors(self, form: forms.BaseForm) -> str:
        return _form_errors(form)


class RunTransitionView(MujunTransitionView):
    """POST: start 公示, publish, or open a corrected revision (then to that revision)."""

    queryset = RUNS

    def get_form(self, request: HttpRequest, instance: EvaluationRun) -> forms.Form | None:
        return PublicityForm(request.POST) if self.kwargs["step"] == "publicity" else None

    def perform(self, run: EvaluationRun, data: dict[str, Any], user: ActingUser) -> EvaluationRun:
        step = self.kwargs["step"]
        if step == "publicity":
            return actions.start_publicity(
                run, start=data["start"], end=data["end"], acting_user=user
            )
        if step == "publish":
            return actions.publish_run(run, acting_user=user)
        if step == "correct":
            return actions.correct_published(run, acting_user=user)
        raise Http404

    def get_success_url(self, run: EvaluationRun, result: EvaluationRun) -> EvaluationRun:
        return result if self.kwargs["step"] == "correct" else run


def _result(request: HttpRequest, pk: int) -> EvaluationResult:
    results = EvaluationResult.objects.restrict(request.user).select_related(
        "run", "enterprise", "zone"
    )
    result: EvaluationResult = get_object_or_404(results, pk=pk)
    return result


def _history(request: HttpRequest, result: EvaluationResult) -> QuerySet[EvaluationResult]:
    return (
        EvaluationResult.objects.restrict(request.user)
        .filter(enterprise=result.enterprise, run__state=RunState.PUBLISHED)
        .select_related("run")
        .order_by("run__year", "run_id")
    )


class ResultDetailView(BusinessView):
    """The enterprise result card."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        result = _result(request, pk)
        card = result_card(result)
        context = {
            "object": result,
            "card": card,
            "rows": card.rows,
            "history": _history(request, result),
            "policies": card.policies,
            "grade_label": card.grade_label,
            "correctable": CORRECTABLE_FIELDS,
            "can_object": result.run.state == RunState.PUBLICITY,
            "simulator": simulator(result, request.user, None),
            "points": points_note(
                result,
                PointsEntry.objects.restrict(request.user).filter(
                    enterprise=result.enterprise, year=result.run.year
                ),
            ),
        }
        return render(request, "mujun/result_detail.html", context)


class SimulateView(BusinessView):
    """What-if: the card's enterprise with changed inputs, scored at its run's benchmarks and
    grade floors. A GET that writes nothing; an htmx request gets the outcome fragment."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        result = _result(request, pk)
        context = {"object": result, "simulator": simulator(result, request.user, request.GET)}
        template = "mujun/includes/simulation.html" if is_htmx(request) else "mujun/simulate.html"
        return render(request, template, context)


class ResultSheetView(BusinessView):
    """The card as a formatted xlsx result sheet for one enterprise."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        result = _result(request, pk)
        return result_sheet_response(result_card(result), list(_history(request, result)))


class ObjectionCreateView(MujunTransitionView):
    required_action = "object"
    queryset = EvaluationResult.objects.all()
    form_class, done = ObjectionForm, "异议已提交,等待主管部门处理"

    def perform(
        self, result: EvaluationResult, data: dict[str, Any], user: ActingUser
    ) -> Objection:
        return actions.file_objection(
            result,
            reason=data["reason"],
            evidence=data["evidence"],
            corrected_values=data["corrected_values"],
            acting_user=user,
        )


class ObjectionDecideView(MujunTransitionView):
    queryset = Objection.objects.select_related("result__run")
    form_class = DecisionForm

    def perform(self, objection: Objection, data: dict[str, Any], user: ActingUser) -> Objection:
        return actions.decide_objection(
            objection,
            accept=data["decision"] == "accept",
            note=data["note"],
            acting_user=user,
        )

    def get_return_url(self, objection: Objection) -> str:
        return reverse("mujun:objections", kwargs={"pk": objection.result.run_id})


class PolicyListView(RunResultsView):
    """差别化政策: the run's graded enterprises and what each policy of its scheme gives them,
    with each grade's policies above; filtered by grade and zone, exported as filtered."""

    filterset_class = PolicyFilterSet
    table_class = PolicyTable
    template_name = "mujun/policy_list.html"
    context_object_name = "results"

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvaluationResult]:
        results = super().get_queryset(request).exclude(managed_grade="")
        self.table_class = PolicyTable.for_document(self.parent.parsed_document)  # type: ignore[misc]
        return results

    def get_title(self) -> str:
        return f"{self.parent} · 差别化政策"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        scheme = self.parent.parsed_document
        graded = (
            EvaluationResult.objects.restrict(request.user)
            .filter(run=self.parent)
            .exclude(managed_grade="")
            .values("managed_grade")
            .annotate(count=Count("pk"))
            .order_by("managed_grade")
        )
        grades = [
            {
                "grade": row["managed_grade"],
                "count": row["count"],
                "policies": [text for _, text in policy_rows(scheme, row["managed_grade"], 1)],
            }
            for row in graded
        ]
        return {
            **super().get_extra_context(request),
            "policy_names": [policy.name for policy in scheme.policies],
            "grades": grades,
        }


class ZoneGradesView(RunResultsView):
    """One zone's enterprises and their grades in one run."""

    filterset_class = ZoneResultFilterSet
    table_class = ZoneResultTable
    template_name = "mujun/zone_grades.html"
    context_object_name = "results"

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvaluationResult]:
        self.zone = get_object_or_404(
            Zone.objects.restrict(request.user), pk=self.kwargs["zone_pk"]
        )
        return super().get_queryset(request).filter(zone=self.zone)

    def get_title(self) -> str:
        return f"{self.zone.name} · {self.parent.year}年度企业亩均评价等级"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {**super().get_extra_context(request), "zone": self.zone}


def _revisions(request: HttpRequest, pk: int) -> tuple[EvaluationRun, EvaluationRun, list[Change]]:
    """A corrected revision, the one it supersedes, and what changed in the user's scope."""
    run = _run(request, pk)
    old = run.supersedes
    if old is None:
        raise Http404
    # The superseded revision covers the same jurisdiction; its results are narrowed to the
    # user's scope like the new one's (an enterprise no longer sees a superseded run itself).
    results = EvaluationResult.objects.restrict(request.user)
    return old, run, revision_changes(results.filter(run=old), results.filter(run=run))


class RunChangesView(BusinessView):
    """Enterprise by enterprise, what a corrected revision changed (grade, total, rank, status),
    in numbered pages; the xlsx holds every change."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        old, run, changes = _revisions(request, pk)
        page = list_page(changes, request.GET)
        context = {
            "object": run,
            "old": old,
            "page": page,
            "changes": page.rows,
            "count": len(changes),
            "kinds": Counter(change.kind for change in changes),
        }
        return render(request, "mujun/run_changes.html", context)


class RunChangesExportView(BusinessView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        old, run, changes = _revisions(request, pk)
        return changes_response(old, run, changes)


class ExportView(BusinessView):
    """The 公示 list, the final list (per zone with ?zone=) or a policy list, as formatted xlsx."""

    def get(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        run = _run(request, pk)
        if kind == "publicity" and run.state not in PUBLIC_STATES:
            raise Http404
        if kind == "final" and run.state not in (RunState.PUBLISHED, RunState.SUPERSEDED):
            raise Http404
        results = (
            EvaluationResult.objects.restrict(request.user)
            .filter(run=run)
            .select_related("enterprise", "zone")
        )
        form = ExportZoneForm(request.GET, user=request.user)
        if not form.is_valid():  # a zone the user does not read: nothing of it
            results = results.none()
        elif zone := form.cleaned_data["zone"]:
            results = results.filter(zone=zone)
        ordered = results.order_by("zone_id", "pool", "pool_rank", "id")
        return workbook_response(run, kind, ordered.iterator(chunk_size=EXPORT_CHUNK))


# --- bonus and penalty points ---------------------------------------------------------------------


def _points(request: HttpRequest) -> django_filters.FilterSet:
    """The entries the user may read, narrowed by year and zone (a zone outside: 404)."""
    entries = PointsEntry.objects.restrict(request.user).select_related(
        "enterprise", "zone", "entered_by"
    )
    filterset = PointsFilterSet(request.GET, queryset=entries, request=request)
    if "zone" in filterset.errors:
        raise Http404
    return filterset


class PointsListView(ObjectListView):
    """Bonus and penalty points the bureau entered, by year and zone; add, delete, import.
    The export is the import layout (``mujun:points_export``), so that it re-imports."""

    queryset = PointsEntry.objects.select_related("enterprise", "zone", "entered_by")
    filterset_class = PointsFilterSet
    table_class = PointsTable
    title = "加分与扣分"
    template_name = "mujun/points_list.html"
    context_object_name = "entries"
    export_view = "mujun:points_export"
    problems: list[str] = []  # set when a refused POST shows the page again

    def get_filterset(self, request: HttpRequest) -> django_filters.FilterSet:
        return _points(request)

    def get_table_kwargs(self, request: HttpRequest) -> dict[str, Any]:
        return {} if has_business_role(request.user, "change") else {"exclude": ("delete",)}

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "kinds": list(KINDS),
            "year": date.today().year - 1,
            "can_change": has_business_role(request.user, "change"),
            "problems": self.problems,
        }


def _points_page(request: HttpRequest, problems: list[str], status: int) -> HttpResponseBase:
    """The list again, with why nothing was written."""
    view = PointsListView(problems=problems)
    view.setup(request)
    response = view.get(request)
    response.status_code = status
    return response


class PointsCreateView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest) -> HttpResponseBase:
        entries, problems = check_rows([(None, form_row(request.POST))], request.user)
        if problems:
            return _points_page(request, [str(p) for p in problems], status=400)
        try:
            entry = actions.add_points(**entries[0].as_kwargs(), acting_user=request.user)
        except ValidationError as error:
            return _points_page(request, error.messages, status=400)
        messages.success(request, f"已录入:{entry.enterprise.name} {entry}")
        return redirect("mujun:points")


class PointsDeleteView(ObjectDeleteView):
    queryset = PointsEntry.objects.select_related("enterprise")
    action = actions.delete_points
    success_url = "mujun:points"
    title = "删除加扣分记录"


class PointsImportView(BusinessView):
    """An xlsx or csv of entries: every row checked; one bad row and nothing is written."""

    required_action = "change"

    def post(self, request: HttpRequest) -> HttpResponseBase:
        if (refusal := upload_refusal(request)) is not None:
            return _points_page(request, [refusal], status=413)
        upload = request.FILES.get("file")
        if upload is None:
            return _points_page(request, ["请选择要导入的文件(xlsx 或 csv)"], status=400)
        entries, problems = read_file(upload.read(), upload.name or "", request.user)
        if problems:
            return _points_page(request, [str(p) for p in problems], status=400)
        try:
            actions.import_points(entries, acting_user=request.user)
        except ValidationError as error:  # an entry written by someone else since the check
            return _points_page(request, error.messages, status=400)
        messages.success(request, f"已导入{len(entries)}条加扣分记录")
        return redirect("mujun:points")


class PointsExportView(BusinessView):
    """The list as filtered, every row (not one page), as xlsx."""

    def get(self, request: HttpRequest) -> HttpResponse:
        entries = _points(request).qs.order_by("pk")
        return points_response(entries.iterator(chunk_size=EXPORT_CHUNK))
