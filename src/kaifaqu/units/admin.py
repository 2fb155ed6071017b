"""The unit registry in the admin, kept apart as 三员分立 requires: the system administrator
keeps the units; the security administrator grants membership (never to its own account)."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.units.actions import import_units
from kaifaqu.units.imports import COLUMNS, describe, read_units_file
from kaifaqu.units.models import Membership, Unit


class UnitFileForm(forms.Form):
    file = forms.FileField(label="Excel 或 CSV 文件")


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "zone", "parent", "active", "member_count")
    list_filter = ("kind", "active")
    search_fields = ("name", "region__name")
    autocomplete_fields = ("region", "zone", "parent")
    list_select_related = ("region", "zone", "parent")
    change_list_template = "units/admin_unit_changelist.html"

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="units_unit_import"), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """从 Excel 导入: the whole file is checked; any problem and nothing is written."""
        if not self.has_add_permission(request):
            raise PermissionDenied("仅系统管理员可以导入单位")
        form = UnitFileForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            rows, found = read_units_file(upload.read(), upload.name)
            problems = [describe(problem) for problem in found]
            if not problems:
                counts = import_units(rows, acting_user=request.user)
                messages.success(
                    request,
                    "导入完成:新增 {created} 个,更新 {updated} 个,未变 {unchanged} 个".format(
                        **counts
                    ),
                )
                return redirect("admin:units_unit_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "从 Excel 导入单位",
            "form": form,
            "problems": problems,
            "columns": COLUMNS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "units/admin_unit_import.html", context)

    @admin.display(description="成员数")
    def member_count(self, obj: Unit) -> int:
        return obj.memberships.count()


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("unit", "user", "since")
    search_fields = ("unit__name", "user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("unit", "user")
    list_select_related = ("unit", "user")

    def _own(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and obj.user_id == request.user.pk

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._own(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            # a membership granted to oneself would show oneself the unit's work
            field.queryset = User.objects.exclude(username=request.user.get_username())
        return field
