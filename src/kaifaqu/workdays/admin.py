"""The calendar in the admin: the system administrator adds a year when the State Council
publishes it (its holidays and 调休 working weekends), and the day table follows."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.workdays.actions import calendar_changed
from kaifaqu.workdays.models import CalendarYear, Day, SpecialDay


class CalendarAdmin(AuditedModelAdmin):
    """Every change to the calendar rebuilds the day table in the same transaction."""

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        calendar_changed(acting_user=request.user, summary=f"工作日历修改:{form.instance}")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        calendar_changed(acting_user=request.user, summary=f"工作日历删除:{obj}")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        calendar_changed(acting_user=request.user, summary="工作日历批量删除")


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarAdmin):
    list_display = ("year", "source")


@admin.register(SpecialDay)
class SpecialDayAdmin(CalendarAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(Day)
class DayAdmin(admin.ModelAdmin[Day]):
    """The derived table, read-only: it is rebuilt from the two tables above."""

    list_display = ("date", "working", "ordinal", "official")
    list_filter = ("working", "official")
    date_hierarchy = "date"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
