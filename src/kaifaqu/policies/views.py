"""Pages of policy tasks: documents and their upload, the review screen, supervised tasks with
their progress reports, and the 督查 with its 督查通报.

Views parse forms and call the actions, which decide; a refusal shows as a message and changes
nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kaifaqu.access.permissions import can
from kaifaqu.access.users import ActingUser
from kaifaqu.core.downloads import download_response
from kaifaqu.core.views import (
    BusinessView,
    ObjectDetailView,
    ObjectListView,
    ObjectTransitionView,
    table_export,
)
from kaifaqu.policies import actions
from kaifaqu.policies.choices import ProposalState
from kaifaqu.policies.filtersets import (
    InspectionFilterSet,
    PolicyDocumentFilterSet,
    PolicyTaskFilterSet,
)
from kaifaqu.policies.forms import (
    DeadlineForm,
    MergeForm,
    ReportForm,
    TargetsForm,
    UnitsForm,
    UploadForm,
)
from kaifaqu.policies.inspection import bulletin_docx, tally, with_status
from kaifaqu.policies.matching import candidates
from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProposedTask
from kaifaqu.policies.review import highlighted, marks
from kaifaqu.policies.tables import InspectionTable, PolicyDocumentTable, PolicyTaskTable
from kaifaqu.policies.targets import trajectory

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentListView(ObjectListView):
    queryset = PolicyDocument.objects.select_related("region")
    filterset_class = PolicyDocumentFilterSet
    table_class = PolicyDocumentTable
    title = "政策文件"
    template_name = "policies/document_list.html"


class UploadView(BusinessView):
    required_action = "change"

    def render_form(self, request: HttpRequest, form: UploadForm) -> HttpResponse:
        return render(request, "policies/upload.html", {"form": form, "title": "上传政策文件"})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, UploadForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_form(request, form)
        data = form.cleaned_data
        facts = actions.DocumentFacts(
            region=data["region"],
            zone=data["zone"],
            title=data["title"],
            doc_number=data["doc_number"],
            issuer=data["issuer"],
            issued=data["issued"],
        )
        try:
            document = actions.upload_document(data["file"], facts, acting_user=request.user)
        except (actions.Refused, PermissionDenied) as refusal:
            form.add_error("file", str(refusal))
            return self.render_form(request, form)
        messages.success(request, f"已识别 {document.proposals.count()} 项拟定任务,请逐项校核")
        return redirect(document)


class DocumentView(ObjectDetailView):
    """The review screen: the text with each proposal marked, beside its fields and buttons."""

    queryset = PolicyDocument.objects.select_related("region", "zone")
    template_name = "policies/document_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: PolicyDocument) -> dict[str, Any]:
        proposals = list(instance.proposals.all())
        shown = [
            p for p in proposals if p.state in (ProposalState.PROPOSED, ProposalState.CONFIRMED)
        ]
        open_ones = [p for p in proposals if p.state == ProposalState.PROPOSED]
        reviewing = can(request.user, "policies.review_task", proposals[0]) if proposals else False
        units = candidates(instance.region) if reviewing else []
        rows = []
        for proposal in shown:
            rows.append(
                {
                    "proposal": proposal,
                    "matches": actions.unit_matches(proposal, units) if reviewing else {},
                    "units_form": UnitsForm(
                        initial={
                            "lead": "、".join(u["name"] for u in proposal.lead),
                            "support": "、".join(u["name"] for u in proposal.support),
                        },
                        prefix=f"p{proposal.pk}",
                    ),
                    "deadline_form": DeadlineForm(
                        initial={
                            "kind": proposal.deadline_kind,
                            "due": proposal.due,
                            "recurrence": proposal.recurrence,
                        },
                        prefix=f"p{proposal.pk}",
                    ),
                    "targets_form": TargetsForm(
                        initial={
                            "targets": "\n".join(
                                f"{t['indicator']} {t['comparator']} {t['value']} {t['unit']}"
                                for t in proposal.targets
                            )
                        },
                        prefix=f"p{proposal.pk}",
                    ),
                    "previous": _previous(open_ones, proposal),
                }
            )
        return {
            "text": highlighted(instance.text, marks(shown)),
            "rows": rows,
            "reviewing": reviewing,
            "open_count": len(open_ones),
            "tasks": instance.tasks.restrict(request.user).select_related("item", "lead_unit"),
        }


def _previous(open_ones: list[ProposedTask], proposal: ProposedTask) -> ProposedTask | None:
    before = [p for p in open_ones if p.position < proposal.position]
    return before[-1] if before and proposal.state == ProposalState.PROPOSED else None


class PolicyTransitionView(ObjectTransitionView):
    """A write posted from a policy page: the form's messages (no labels) or the action's
    refusal shown as a message on the page it came from."""

    refusals = (PermissionDenied, actions.Refused)

    def form_errors(self, form: forms.BaseForm) -> str:
        return ";".join(" ".join(str(m) for m in e) for e in form.errors.values())


class ProposalView(PolicyTransitionView):
    """POST only: one review step on a proposal, then back to its place on the review screen."""

    queryset = ProposedTask.objects.all()

    def get_form_kwargs(self, request: HttpRequest, instance: ProposedTask) -> dict[str, Any]:
        return {"prefix": f"p{instance.pk}"}

    def success_message(self, instance: ProposedTask, result: Any) -> str:
        return f"「{instance.heading}」{self.done}"


class UnitsView(ProposalView):
    form_class, done = UnitsForm, "责任单位已修改"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        return actions.correct_units(
            proposal, lead=data["lead"], support=data["support"], acting_user=user
        )


class DeadlineView(ProposalView):
    form_class, done = DeadlineForm, "时限已修改"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        return actions.correct_deadline(
            proposal,
            kind=data["kind"],
            due=data["due"],
            recurrence=data["recurrence"],
            acting_user=user,
        )


class TargetsView(ProposalView):
    form_class, done = TargetsForm, "目标已修改"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        return actions.correct_targets(proposal, targets=data["targets"], acting_user=user)


class MergeView(ProposalView):
    form_class, done = MergeForm, "已并入上一项"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        into = get_object_or_404(ProposedTask.objects.restrict(user), pk=data["into"])
        return actions.merge(proposal, into=into, acting_user=user)


class SplitView(ProposalView):
    done = "已拆分为两项"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        return actions.split(proposal, acting_user=user)


class DropView(ProposalView):
    done = "已删除"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        return actions.drop(proposal, acting_user=user)


class ConfirmView(ProposalView):
    done = "已确认,转入督办"

    def perform(self, proposal: ProposedTask, data: dict[str, Any], user: ActingUser) -> object:
        return actions.confirm(proposal, acting_user=user)


class ConfirmAllView(PolicyTransitionView):
    """POST only: 全部确认, every open proposal of the document in one step; if any is refused
    (one without a lead unit), none is confirmed and the message names it."""

    queryset = PolicyDocument.objects.all()

    def perform(self, document: PolicyDocument, data: dict[str, Any], user: ActingUser) -> object:
        return actions.confirm_all(
            document.proposals.filter(state=ProposalState.PROPOSED), acting_user=user
        )

    def success_message(self, document: PolicyDocument, result: Any) -> str:
        # a document with nothing open (confirmed in another tab) is told so, not "0 项"
        if not result:
            return "没有待确认的任务"
        return f"已确认 {len({task.proposal_id for task in result})} 项任务,转入督办"


TASKS = PolicyTask.objects.select_related("item", "lead_unit", "document", "proposal")


class TaskListView(ObjectListView):
    queryset = TASKS
    filterset_class = PolicyTaskFilterSet
    table_class = PolicyTaskTable
    title = "政策任务"
    template_name = "policies/task_list.html"


class TaskView(ObjectDetailView):
    queryset = TASKS.select_related("item__region")
    template_name = "policies/task_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: PolicyTask) -> dict[str, Any]:
        user = request.user
        reports = list(instance.reports.select_related("submitted_by", "unit"))
        return {
            "item": instance.item,
            "supporting": instance.item.supporting_units.all(),
            "reports": reports,
            "open_reports": [r for r in reports if r.submitted is None],
            "targets": [trajectory(t, instance, user) for t in instance.targets.all()],
            "reporting": can(user, "policies.report_progress", instance),
            "report_form": ReportForm(),
        }


class ReportView(PolicyTransitionView):
    queryset = PolicyTask.objects.all()
    form_class, done = ReportForm, "进展已填报"

    def perform(self, task: PolicyTask, data: dict[str, Any], user: ActingUser) -> object:
        report = task.reports.filter(pk=data["report"]).first() if data["report"] else None
        return actions.report_progress(
            task,
            text=data["text"],
            figure=data["figure"],
            report=report,
            files=[data["evidence"]] if data["evidence"] else [],
            acting_user=user,
        )


class InspectionView(ObjectListView):
    """督查: the tasks with their status and latest report, paged, and their counts per
    document and per unit (of the whole filtered list); its Excel export is the 督查通报."""

    queryset = TASKS.prefetch_related("item__supporting_units")
    filterset_class = InspectionFilterSet
    table_class = InspectionTable
    title = "督查"
    template_name = "policies/inspection.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # the statuses are those of today, computed in the list's own query
        return with_status(super().get_queryset(request), timezone.localdate())

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"inspection": tally(self.filtered_queryset(request))}


class BulletinDocxView(BusinessView):
    """The 督查通报 as Word: the 督查 list as filtered, in its export's columns."""

    def get(self, request: HttpRequest) -> HttpResponse:
        tasks = InspectionView().filtered_queryset(request).order_by("pk")
        headers, rows = table_export(InspectionTable, tasks)
        today = timezone.localdate()
        content = bulletin_docx(
            tally(tasks), headers, rows, title="政策任务落实情况督查通报", today=today
        )
        return download_response(content, "督查通报.docx", DOCX)
