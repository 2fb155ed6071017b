"""The unit registry in the admin, kept apart as 三员分立 requires: the system administrator
keeps the units; the security administrator grants membership (never to its own account)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.units.models import Membership, Unit


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "region", "zone", "parent", "active", "member_count")
    list_filter = ("kind", "active")
    search_fields = ("name", "region__name")
    autocomplete_fields = ("region", "zone", "parent")
    list_select_related = ("region", "zone", "parent")

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
        if db_field.name == "user":
            # a membership granted to oneself would show oneself the unit's work
            field.queryset = field.queryset.exclude(pk=request.user.pk)
        return field
