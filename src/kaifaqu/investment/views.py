"""Pages of the 招商 pipeline: the board per zone, the project list and 我的项目, the project's
page with its timeline, the target clients, and one form page per write (each calling its
action; a refusal shows on the form and changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.core.views import (
    BusinessView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
)
from kaifaqu.investment import actions
from kaifaqu.investment.actions import Evidence, Refused
from kaifaqu.investment.choices import FINAL_STAGES, MAIN_LINE, Stage
from kaifaqu.investment.filtersets import ClientFilterSet, ProjectFilterSet
from kaifaqu.investment.forms import (
    AdvanceForm,
    BoardForm,
    ClientForm,
    FundForm,
    PlanForm,
    ProblemForm,
    ProjectForm,
    ReasonForm,
    ResumeForm,
    UndoForm,
    VisitForm,
)
from kaifaqu.investment.models import Project, StageSetting, TargetClient
from kaifaqu.investment.tables import ClientTable, ProjectTable

PROJECTS = Project.objects.select_related("zone", "industry", "person_in_charge", "light")
BOARD_CARDS = 30  # cards shown per column; the column's count says how many there are


class ProjectListView(ObjectListView):
    queryset = PROJECTS
    filterset_class = ProjectFilterSet
    table_class = ProjectTable
    title = "招商项目"
    template_name = "investment/project_list.html"


class MyProjectListView(ProjectListView):
    """我的项目: the projects the user is the person in charge of."""

    title = "我的项目"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(person_in_charge=request.user)


class ClientListView(ObjectListView):
    queryset = TargetClient.objects.select_related("zone", "industry")
    filterset_class = ClientFilterSet
    table_class = ClientTable
    title = "招商目标客户"
    template_name = "investment/client_list.html"


@dataclass
class Column:
    stage: Stage
    count: int
    cards: list[Project]


class BoardView(BusinessView):
    """The pipeline of one zone: a column per stage, the projects longest in it first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = BoardForm(request.GET, user=request.user)
        zone = form.chosen()
        if zone is None:
            return render(request, "investment/board.html", {"form": form, "columns": []})
        projects = Project.objects.restrict(request.user).filter(zone=zone)
        counts = dict(projects.values_list("stage").annotate(n=Count("pk")).order_by())
        expected = dict(StageSetting.objects.values_list("stage", "expected_days"))
        today = timezone.localdate()
        columns = []
        for stage in (*MAIN_LINE, Stage.PAUSED):
            cards = list(
                projects.filter(stage=stage)
                .select_related("person_in_charge", "light")
                .order_by("stage_entered", "pk")[:BOARD_CARDS]
            )
            for card in cards:
                card.days_in_stage = (today - card.stage_entered).days
                limit = expected.get(stage)
                card.stalled = limit is not None and card.days_in_stage > limit
            columns.append(Column(stage, counts.get(stage, 0), cards))
        context = {"zone": zone, "form": form, "columns": columns, "shown": BOARD_CARDS}
        return render(request, "investment/board.html", context)


def timeline(project: Project, user: ActingUser) -> list[dict[str, Any]]:
    """The project's stage history, visits, fund arrivals and problems, newest first."""
    events: list[dict[str, Any]] = []
    for change in project.stage_changes.select_related("recorded_by", "reverses"):
        events.append({"date": change.occurred_on, "kind": "stage", "change": change})
    for visit in project.visits.all():
        events.append({"date": visit.visited_on, "kind": "visit", "visit": visit})
    for arrival in project.fund_arrivals.all():
        events.append({"date": arrival.arrived_on, "kind": "fund", "arrival": arrival})
    for item in actions.problems_of(project, user):
        events.append({"date": item.opened, "kind": "problem", "item": item})
    return sorted(events, key=lambda e: e["date"], reverse=True)


class ProjectDetailView(ObjectDetailView):
    queryset = PROJECTS.select_related("lead_unit", "package", "client", "enterprise")
    template_name = "investment/project_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Project) -> dict[str, Any]:
        problems = actions.problems_of(instance, request.user)
        return {
            "timeline": timeline(instance, request.user),
            "next_stage": actions.next_stage(instance.stage),
            "is_final": instance.stage in FINAL_STAGES,
            "undoable": actions.undoable_change(instance),
            "plans": instance.annual_plans.all(),
            "problems": problems.select_related("lead_unit").prefetch_related(
                "log__unit", "log__user"
            ),
            "stages": MAIN_LINE,
            "stage_index": MAIN_LINE.index(Stage(instance.stage))
            if instance.stage in MAIN_LINE
            else None,
        }


class ClientDetailView(ObjectDetailView):
    queryset = TargetClient.objects.select_related("zone", "industry")
    template_name = "investment/client_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: TargetClient) -> dict[str, Any]:
        return {"projects": instance.projects.all(), "visits": instance.visits.all()}


def _project_create(form: ProjectForm, *, acting_user: ActingUser) -> Project:
    data = dict(form.cleaned_data)
    return actions.create_project(
        zone=data.pop("zone"), name=data.pop("name"), acting_user=acting_user, **data
    )


def _project_update(form: ProjectForm, *, acting_user: ActingUser) -> Project:
    return actions.update_project(form.instance, acting_user=acting_user, **form.cleaned_data)


def _client_create(form: ClientForm, *, acting_user: ActingUser) -> TargetClient:
    data = dict(form.cleaned_data)
    return actions.create_client(
        zone=data.pop("zone"),
        company=data.pop("company"),
        source=data.pop("source"),
        acting_user=acting_user,
        **data,
    )


class ProjectCreateView(ObjectCreateView):
    form_class = ProjectForm
    action = _project_create
    title = "登记招商项目(线索)"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, ProjectForm(user=request.user), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.save(request, ProjectForm(request.POST, user=request.user), None)


class ProjectEditView(ObjectEditView):
    queryset = Project.objects.all()
    form_class = ProjectForm
    action = _project_update
    title = "编辑招商项目"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        return self.render_form(
            request, ProjectForm(instance=instance, user=request.user), instance
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance = self.get_object(request, pk)
        form = ProjectForm(request.POST, instance=instance, user=request.user)
        return self.save(request, form, instance)


class ClientCreateView(ObjectCreateView):
    form_class = ClientForm
    action = _client_create
    title = "登记招商目标客户"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, ClientForm(user=request.user), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.save(request, ClientForm(request.POST, user=request.user), None)


class ProjectActionView(ObjectTransitionView):
    """A form page for one write on a project: GET shows it, POST parses it and calls
    ``perform``; a refusal is shown on the form and changes nothing."""

    queryset = Project.objects.select_related("zone")
    object_action = "change"
    refusals = (Refused, PermissionDenied)
    form_class: ClassVar[type[forms.Form]]
    title: ClassVar[str]

    def make_form(self, request: HttpRequest, project: Project, data: Any = None) -> forms.Form:
        return self.form_class(data, request.FILES if data is not None else None)

    def get_form(self, request: HttpRequest, instance: Project) -> forms.Form:
        return self.make_form(request, instance, request.POST)

    def get_title(self, project: Project) -> str:
        return self.title

    def success_message(self, instance: Project, result: Any) -> str:
        return f"{instance.name}:{self.done}"

    def render_form(
        self, request: HttpRequest, project: Project, form: forms.BaseForm
    ) -> HttpResponse:
        context = {"form": form, "object": project, "title": self.get_title(project)}
        return render(request, "investment/action_form.html", context)

    def form_invalid(
        self, request: HttpRequest, instance: Project, form: forms.BaseForm
    ) -> HttpResponse:
        return self.render_form(request, instance, form)

    def refused(
        self,
        request: HttpRequest,
        instance: Project,
        form: forms.BaseForm | None,
        refusal: Exception,
    ) -> HttpResponse:
        assert form is not None  # every write on a project has its form
        form.add_error(None, str(refusal))
        return self.render_form(request, instance, form)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = self.get_object(request, pk)
        return self.render_form(request, project, self.make_form(request, project))


class AdvanceView(ProjectActionView):
    form_class = AdvanceForm
    done = "阶段已推进"

    def _stage(self, project: Project) -> Stage:
        stage = actions.next_stage(project.stage)
        if stage is None:
            raise Http404("该项目不能再推进")
        return stage

    def get_title(self, project: Project) -> str:
        return f"推进至「{self._stage(project).label}」"

    def make_form(self, request: HttpRequest, project: Project, data: Any = None) -> forms.Form:
        files = request.FILES if data is not None else None
        return AdvanceForm(
            data, files, stage=self._stage(project), initial={"occurred_on": timezone.localdate()}
        )

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        evidence = Evidence(
            occurred_on=data["occurred_on"],
            files=data.get("documents") or (),
            contract_amount=data.get("contract_amount"),
            uscc=data.get("uscc") or "",
            note=data.get("note") or "",
        )
        return actions.advance(project, self._stage(project), evidence, acting_user=user)


class PauseView(ProjectActionView):
    form_class, title, done = ReasonForm, "暂缓项目", "已暂缓"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.pause(
            project, reason=data["reason"], occurred_on=data["occurred_on"], acting_user=user
        )


class TerminateView(ProjectActionView):
    form_class, title, done = ReasonForm, "终止项目", "已终止"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.terminate(
            project, reason=data["reason"], occurred_on=data["occurred_on"], acting_user=user
        )


class ResumeView(ProjectActionView):
    form_class, title, done = ResumeForm, "恢复推进", "已恢复推进"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.resume(
            project, note=data["note"], occurred_on=data["occurred_on"], acting_user=user
        )


class UndoView(ProjectActionView):
    form_class, title, done = UndoForm, "撤销最近一次阶段变更", "已撤销最近一次阶段变更"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        change = actions.undoable_change(project)
        if change is None:
            raise Refused("该项目没有可撤销的阶段变更")
        return actions.undo_change(change, note=data["note"], acting_user=user)


class VisitView(ProjectActionView):
    form_class, title, done = VisitForm, "登记拜访记录", "已登记拜访记录"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.record_visit(project=project, acting_user=user, **data)


class FundView(ProjectActionView):
    form_class, title, done = FundForm, "登记资金到位", "已登记资金到位"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.record_fund_arrival(project, acting_user=user, **data)


class PlanView(ProjectActionView):
    form_class, title, done = PlanForm, "年度投资计划", "已保存年度投资计划"

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.set_annual_plan(project, acting_user=user, **data)


class ProblemView(ProjectActionView):
    form_class, title, done = ProblemForm, "登记受阻问题", "已登记受阻问题并交办"
    # the person in charge registers problems too: the action's rule decides
    object_action = "view"

    def make_form(self, request: HttpRequest, project: Project, data: Any = None) -> forms.Form:
        return ProblemForm(data, user=request.user)

    def perform(self, project: Project, data: dict[str, Any], user: ActingUser) -> object:
        return actions.open_blocking_problem(project, acting_user=user, **data)
