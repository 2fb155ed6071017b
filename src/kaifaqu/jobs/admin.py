from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.jobs.models import Schedule


@admin.register(Schedule)
class ScheduleAdmin(AuditedModelAdmin):
    """The system administrator sets when each schedulable job kind runs (Asia/Shanghai)."""

    list_display = ("kind", "cadence", "hour", "minute", "enabled", "last_run", "next_run")
    list_filter = ("cadence", "enabled")
    readonly_fields = ("last_run", "next_run", "last_job")

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        # a changed time applies from now on: no catch-up run for the time before the change
        obj.next_run = obj.next_after(timezone.now())
        super().save_model(request, obj, form, change)
