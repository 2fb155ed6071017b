"""Pages of policy tasks: documents and their upload, the review screen, supervised tasks with
their progress reports, and the 督查 with its 督查通报.

Views parse forms and call the actions, which decide; a refusal shows as a message and changes
nothing.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from kaifaqu.access.permissions import can
from kaifaqu.access.users import ActingUser
from kaifaqu.core.downloads import XLSX, download_response
from kaifaqu.core.scoped import restricted
from kaifaqu.core.views import BusinessView, ObjectDetailView, ObjectListView
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
from kaifaqu.policies.inspection import Inspection, bulletin_docx, bulletin_xlsx, inspect, inspected
from kaifaqu.policies.matching import candidates
from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProposedTask
from kaifaqu.policies.review import highlighted, marks
from kaifaqu.policies.tables import PolicyDocumentTable, PolicyTaskTable
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


class ProposalView(BusinessView):
    """POST only: one review step on a proposal, then back to its place on the review screen."""

    required_action = "change"
    form_class: ClassVar[type[forms.Form] | None] = None
    done: ClassVar[str]

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        proposal = get_object_or_404(ProposedTask.objects.restrict(request.user), pk=pk)
        form = None
        if self.form_class is not None:
            form = self.form_class(request.POST, prefix=f"p{proposal.pk}")
            if not form.is_valid():
                errors = [" ".join(str(m) for m in e) for e in form.errors.values()]
                messages.error(request, ";".join(errors))
                return redirect(proposal)
        try:
            self.perform(proposal, form, request.user)
        except (PermissionDenied, actions.Refused) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"「{proposal.heading}」{self.done}")
        return redirect(proposal)


class UnitsView(ProposalView):
    form_class, done = UnitsForm, "责任单位已修改"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        return actions.correct_units(
            proposal, lead=form.names("lead"), support=form.names("support"), acting_user=user
        )


class DeadlineView(ProposalView):
    form_class, done = DeadlineForm, "时限已修改"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        data = form.cleaned_data
        return actions.correct_deadline(
            proposal,
            kind=data["kind"],
            due=data["due"],
            recurrence=data["recurrence"],
            acting_user=user,
        )


class TargetsView(ProposalView):
    form_class, done = TargetsForm, "目标已修改"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        return actions.correct_targets(
            proposal, targets=form.cleaned_data["targets"], acting_user=user
        )


class MergeView(ProposalView):
    form_class, done = MergeForm, "已并入上一项"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        into = get_object_or_404(ProposedTask.objects.restrict(user), pk=form.cleaned_data["into"])
        return actions.merge(proposal, into=into, acting_user=user)


class SplitView(ProposalView):
    done = "已拆分为两项"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        return actions.split(proposal, acting_user=user)


class DropView(ProposalView):
    done = "已删除"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        return actions.drop(proposal, acting_user=user)


class ConfirmView(ProposalView):
    done = "已确认,转入督办"

    def perform(self, proposal: ProposedTask, form: Any, user: ActingUser) -> object:
        return actions.confirm(proposal, acting_user=user)


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


class ReportView(BusinessView):
    required_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(PolicyTask.objects.restrict(request.user), pk=pk)
        form = ReportForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = [" ".join(str(m) for m in e) for e in form.errors.values()]
            messages.error(request, ";".join(errors))
            return redirect(task)
        data = form.cleaned_data
        report = task.reports.filter(pk=data["report"]).first() if data["report"] else None
        try:
            actions.report_progress(
                task,
                text=data["text"],
                figure=data["figure"],
                report=report,
                files=[data["evidence"]] if data["evidence"] else [],
                acting_user=request.user,
            )
        except (PermissionDenied, actions.Refused) as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, "进展已填报")
        return redirect(task)


def _inspection(request: HttpRequest) -> tuple[Inspection, InspectionFilterSet]:
    tasks = restricted(PolicyTask.objects.all(), request.user, "view")
    filterset = InspectionFilterSet(request.GET, queryset=tasks, request=request)
    chosen = filterset.qs if filterset.is_valid() else tasks.none()
    return inspect(inspected(chosen.order_by("document", "proposal__position", "pk")),
                   timezone.localdate()), filterset  # fmt: skip


class InspectionView(BusinessView):
    """督查: per document and per unit, tasks complete, on track, late and overdue."""

    def get(self, request: HttpRequest) -> HttpResponse:
        inspection, filterset = _inspection(request)
        context = {
            "inspection": inspection,
            "filterset": filterset,
            "query": request.GET.urlencode(),
            "title": "督查",
        }
        return render(request, "policies/inspection.html", context)


class BulletinXlsxView(BusinessView):
    def get(self, request: HttpRequest) -> HttpResponse:
        inspection, _ = _inspection(request)
        return download_response(bulletin_xlsx(inspection), "督查通报.xlsx", XLSX)


class BulletinDocxView(BusinessView):
    def get(self, request: HttpRequest) -> HttpResponse:
        inspection, _ = _inspection(request)
        today = timezone.localdate()
        content = bulletin_docx(inspection, title="政策任务落实情况督查通报", today=today)
        return download_response(content, "督查通报.docx", DOCX)
