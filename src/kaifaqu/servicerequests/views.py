"""Pages of service requests: the enterprise portal (我的诉求), the hotline and dispatch desk, a
unit's work list, a request's page with its transition buttons and similar requests, and the
动态清零 statistics.

The buttons post to one view per transition; the view parses the form and calls the action, which
decides; a refusal is shown as a message on the request's page and changes nothing.
"""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from kaifaqu.access.permissions import can, ensure_can
from kaifaqu.access.scope import member_unit_ids
from kaifaqu.access.users import ActingUser
from kaifaqu.core.views import (
    BusinessView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectTransitionView,
)
from kaifaqu.servicerequests import actions, statistics
from kaifaqu.servicerequests.choices import Stage
from kaifaqu.servicerequests.filtersets import ServiceRequestFilterSet
from kaifaqu.servicerequests.forms import (
    DispatchForm,
    FileRequestForm,
    RateForm,
    RegisterCallForm,
    ReplyForm,
    StatisticsForm,
)
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.servicerequests.similar import similar_requests
from kaifaqu.servicerequests.statistics import GROUPS, request_items
from kaifaqu.servicerequests.tables import ServiceRequestTable
from kaifaqu.supervision.actions import Refused
from kaifaqu.supervision.choices import ItemState
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.units.models import Membership

REQUESTS = ServiceRequest.objects.with_stage().select_related(
    "item__lead_unit", "enterprise", "zone"
)


class RequestListView(ObjectListView):
    """The hotline and dispatch desk: every request in the user's scope."""

    queryset = REQUESTS
    filterset_class = ServiceRequestFilterSet
    table_class = ServiceRequestTable
    title = "企业诉求"
    default_sort = "-filed"
    template_name = "servicerequests/request_list.html"

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {
            "may_file": can(request.user, "servicerequests.file_own"),
            "may_register": can(request.user, "servicerequests.register_call"),
            "in_a_unit": member_unit_ids(request.user).exists(),
        }


class MyRequestListView(RequestListView):
    """我的诉求: the enterprise portal's list (an enterprise user's scope holds only its own
    enterprise's requests)."""

    title = "我的诉求"


class UnitWorkListView(RequestListView):
    """The requests assigned to the units the user is a member of."""

    title = "本单位诉求"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        units = member_unit_ids(request.user)
        return super().get_queryset(request).filter(item__lead_unit__in=units)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {}


class FileRequestView(ObjectCreateView):
    """登记 in the portal (the enterprise role only views; the rule decides who files)."""

    required_action = "view"
    form_class = FileRequestForm
    title = "提交诉求"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        ensure_can(request.user, "servicerequests.file_own")
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def action(form: forms.Form, *, acting_user: ActingUser) -> ServiceRequest:
        try:
            return actions.file_request(
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                acting_user=acting_user,
                attachments=_files(form),
            )
        except (PermissionDenied, Refused) as refusal:
            raise forms.ValidationError(str(refusal)) from refusal


def _files(form: forms.Form) -> list[Any]:
    """The file a filing form carries, if any."""
    upload = form.cleaned_data.get("attachment")
    return [upload] if upload else []


class RegisterCallView(ObjectCreateView):
    """登记 by the hotline, for a caller."""

    form_class = RegisterCallForm
    title = "登记热线诉求"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, RegisterCallForm(user=request.user), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegisterCallForm(request.POST, request.FILES, user=request.user)
        return self.save(request, form, None)

    @staticmethod
    def action(form: forms.Form, *, acting_user: ActingUser) -> ServiceRequest:
        data = form.cleaned_data
        try:
            request, _ = actions.register_call(
                category=data["category"],
                description=data["description"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                enterprise=data["enterprise"],
                zone=data["zone"],
                acting_user=acting_user,
                attachments=_files(form),
            )
        except (PermissionDenied, Refused) as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return request


class RequestDetailView(ObjectDetailView):
    queryset = ServiceRequest.objects.select_related(
        "item__lead_unit", "item__region", "enterprise", "zone"
    )
    template_name = "servicerequests/request_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: ServiceRequest) -> dict[str, Any]:
        user, item = request.user, instance.item
        supervises = SupervisedItem.objects.supervised_by(user).filter(pk=item.pk).exists()
        member = item.lead_unit_id is not None and (
            Membership.objects.filter(unit_id=item.lead_unit_id, user_id=user.pk or 0).exists()
        )
        sees_item = SupervisedItem.objects.restrict(user).filter(pk=item.pk).exists()
        stage = instance.stage
        dispatch_form = DispatchForm(user=user, initial={"complexity": instance.complexity})
        return {
            "stage": stage,
            "supervises": supervises,
            "member": member,
            "log": item.log.select_related("user", "unit") if sees_item else None,
            "supporting": item.supporting_units.all(),
            "similar": similar_requests(instance, user) if supervises else [],
            "dispatch_form": dispatch_form,
            "may_dispatch": supervises and stage == Stage.REGISTERED,
            "may_accept": member and item.state == ItemState.ASSIGNED,
            "may_reply": member and item.state == ItemState.IN_PROGRESS,
            "may_rate": stage == Stage.REPLIED and can(user, "servicerequests.rate", instance),
            "accept_by": item.accept_deadline if item.state == ItemState.ASSIGNED else None,
            "rate_form": RateForm(user=user),
        }


class TransitionView(ObjectTransitionView):
    """POST only: parse ``form_class``, run ``perform``, and go back to the request's page."""

    queryset = ServiceRequest.objects.all()
    refusals = (PermissionDenied, Refused)

    def get_form_kwargs(self, request: HttpRequest, instance: ServiceRequest) -> dict[str, Any]:
        return {"user": request.user}

    def success_message(self, instance: ServiceRequest, result: Any) -> str:
        return f"{instance.item.number} {self.done}"


class DispatchView(TransitionView):
    form_class, done = DispatchForm, "已派单"

    def perform(self, request: ServiceRequest, data: dict[str, Any], user: ActingUser) -> object:
        return actions.dispatch(
            request,
            lead_unit=data["lead_unit"],
            supporting_units=data["supporting_units"],
            complexity=data["complexity"],
            note=data["note"],
            acting_user=user,
        )


class AcceptView(TransitionView):
    done = "已签收"

    def perform(self, request: ServiceRequest, data: dict[str, Any], user: ActingUser) -> object:
        return actions.accept(request, acting_user=user)


class ReplyView(TransitionView):
    form_class, done = ReplyForm, "已答复"

    def perform(self, request: ServiceRequest, data: dict[str, Any], user: ActingUser) -> object:
        return actions.reply(request, text=data["note"], acting_user=user)


class RateView(TransitionView):
    required_action = "view"
    form_class, done = RateForm, "已评价"

    def perform(self, request: ServiceRequest, data: dict[str, Any], user: ActingUser) -> object:
        return actions.rate(request, rating=data["rating"], note=data["note"], acting_user=user)


class StatisticsView(BusinessView):
    """The 动态清零 statistics: by zone, lead unit or category over a period, each figure linked
    to its requests, and a chart per zone over the period's months."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        defaults = {"start": today.replace(month=1, day=1), "end": today, "group": "zone"}
        form = StatisticsForm({**defaults, **request.GET.dict()}, user=request.user)
        if not form.is_valid():
            form = StatisticsForm(defaults, user=request.user)
            form.is_valid()
        data = form.cleaned_data
        items = request_items(SupervisedItem.objects.restrict(request.user))
        query = {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
        if data["zone"] is not None:
            items = items.filter(zone=data["zone"])
            query["zone"] = data["zone"].pk
        rows, total = statistics.table(
            items, group=data["group"], start=data["start"], end=data["end"], base_query=query
        )
        context = {
            "form": form,
            "group_label": GROUPS[data["group"]][0],
            "rows": rows,
            "total": total,
            "charts": statistics.zone_charts(items, start=data["start"], end=data["end"]),
        }
        return render(request, "servicerequests/statistics.html", context)
