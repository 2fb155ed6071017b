"""Pages of supervision: the item list and page with its transition buttons, and the 督办 board.

The buttons post to one view per transition; the view parses the form and calls the action, which
decides (the view only shows the buttons a user is likely to be allowed). A refusal is shown as a
message on the item's page and changes nothing.
"""

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.core.exports import export_response
from kaifaqu.core.pagination import keyset_page
from kaifaqu.core.scoped import restricted
from kaifaqu.core.views import (
    BusinessView,
    ObjectDetailView,
    ObjectListView,
    ObjectTransitionView,
    table_export,
)
from kaifaqu.supervision import actions
from kaifaqu.supervision.board import (
    board_items,
    board_summary,
    supervisor_level,
    with_overdue_days,
)
from kaifaqu.supervision.choices import ExtensionState, Level
from kaifaqu.supervision.filtersets import SupervisedItemFilterSet
from kaifaqu.supervision.forms import AssignForm, DecisionForm, ExtensionForm, NoteForm
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.supervision.tables import SupervisedItemTable
from kaifaqu.units.models import Membership

ITEMS_QUERYSET = SupervisedItem.objects.select_related("kind", "lead_unit", "region")


class ItemListView(ObjectListView):
    queryset = ITEMS_QUERYSET
    filterset_class = SupervisedItemFilterSet
    table_class = SupervisedItemTable
    title = "督办事项"
    template_name = "supervision/item_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # the overdue days are counted from today, in the list's own query
        items = with_overdue_days(self.queryset, timezone.localdate())
        return restricted(items, request.user, "view")


class ItemDetailView(ObjectDetailView):
    queryset = SupervisedItem.objects.select_related("kind", "region", "zone", "lead_unit")
    template_name = "supervision/item_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: SupervisedItem) -> dict[str, Any]:
        user = request.user
        member = instance.lead_unit_id is not None and (
            Membership.objects.filter(unit_id=instance.lead_unit_id, user_id=user.pk or 0).exists()
        )
        return {
            "source": instance.source_for(user),
            "log": instance.log.select_related("user", "unit"),
            "extensions": instance.extensions.select_related("unit", "requested_by"),
            "pending": instance.extensions.filter(state=ExtensionState.PENDING).first(),
            "supporting": instance.supporting_units.all(),
            "supervises": SupervisedItem.objects.supervised_by(user)
            .filter(pk=instance.pk)
            .exists(),
            "member": member,
            "assign_form": AssignForm(user=user),
            "extension_form": ExtensionForm(user=user),
            "decision_form": DecisionForm(user=user),
        }


class TransitionView(ObjectTransitionView):
    """POST only: parse ``form_class``, run ``perform``, and go back to the item's page."""

    queryset = SupervisedItem.objects.all()
    form_class: ClassVar[type[forms.Form]] = NoteForm
    refusals = (PermissionDenied, actions.Refused)

    def get_form_kwargs(self, request: HttpRequest, instance: SupervisedItem) -> dict[str, Any]:
        return {"user": request.user}

    def success_message(self, instance: SupervisedItem, result: Any) -> str:
        return f"{instance.number} {self.done}"


class AssignView(TransitionView):
    form_class, done = AssignForm, "已派单"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.assign(
            item,
            lead_unit=data["lead_unit"],
            supporting_units=data["supporting_units"],
            note=data["note"],
            acting_user=user,
        )


class AcceptView(TransitionView):
    done = "已签收"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.accept(item, acting_user=user)


class ReturnView(TransitionView):
    done = "已退回"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.return_item(item, reason=data["note"], acting_user=user)


class CompleteView(TransitionView):
    done = "已办结"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.complete(item, note=data["note"], acting_user=user)


class UrgeView(TransitionView):
    done = "已督办"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.urge(item, note=data["note"], acting_user=user)


class ExtensionView(TransitionView):
    form_class, done = ExtensionForm, "已申请延期"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.request_extension(
            item, until=data["until"], reason=data["note"], acting_user=user
        )


class DecisionView(TransitionView):
    form_class, done = DecisionForm, "延期申请已审批"

    def perform(self, item: SupervisedItem, data: dict[str, Any], user: ActingUser) -> object:
        return actions.decide_extension(
            item, approve=data["approve"], note=data["note"], acting_user=user
        )


class BoardView(BusinessView):
    """The 督办 board: overdue items raised to it, by lead unit and level, and the items."""

    def get(self, request: HttpRequest) -> HttpResponse:
        items = with_overdue_days(board_items(request.user), timezone.localdate())
        page = keyset_page(items.select_related("kind", "lead_unit", "region"), request.GET)
        context = {
            "level": supervisor_level(request.user),
            "levels": list(Level),
            "summary": board_summary(items),
            "table": SupervisedItemTable(page.rows),
            "page": page,
            "count": items.count(),
            "query": "",
        }
        return render(request, "supervision/board.html", context)


class BoardExportView(BusinessView):
    """The board's items as xlsx, in the item list's export layout (its table's columns)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        items = with_overdue_days(board_items(request.user), timezone.localdate())
        ordered = items.select_related("kind", "lead_unit", "region").order_by(
            "lead_unit__name", "deadline", "pk"
        )
        headers, rows = table_export(SupervisedItemTable, ordered)
        return export_response("xlsx", "督办台账", headers, rows)
