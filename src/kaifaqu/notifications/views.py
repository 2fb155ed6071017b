from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from kaifaqu.core.views import BusinessView, ObjectListView
from kaifaqu.notifications.actions import mark_all_read, mark_read
from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.notifications.filtersets import NotificationFilterSet
from kaifaqu.notifications.models import Notification
from kaifaqu.notifications.tables import NotificationTable


class InboxView(ObjectListView):
    """The user's own notifications, newest first."""

    queryset = Notification.objects.all()
    filterset_class = NotificationFilterSet
    table_class = NotificationTable
    template_name = "notifications/inbox.html"
    title = "消息通知"
    default_sort = "-created"


class OpenView(BusinessView):
    """Marks a notification read and goes to its object (or back to the inbox if it has none)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = mark_read(pk, acting_user=request.user)
        if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
            return redirect(notification.url)
        return redirect("notifications:inbox")


class MarkReadView(BusinessView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        mark_read(pk, acting_user=request.user)
        return redirect("notifications:inbox")


class MarkAllReadForm(forms.Form):
    """Which notifications to mark read: those of one kind, or (blank) all."""

    kind = forms.ChoiceField(choices=NotificationKind.choices, required=False)


class MarkAllReadView(BusinessView):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = MarkAllReadForm(request.POST)
        kind = form.cleaned_data["kind"] if form.is_valid() else ""
        count = mark_all_read(acting_user=request.user, kind=kind)
        messages.success(request, f"已将 {count} 条通知标为已读。")
        return redirect("notifications:inbox")
