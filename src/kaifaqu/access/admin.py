"""Accounts, profiles and roles in the admin, kept apart as 三员分立 requires.

The system administrator creates and maintains accounts; the security administrator grants:
business roles, bindings, administrator kinds and role definitions (``access.roles``). Nobody
changes the grants of their own account, and only a superuser (on the server, through ``kaifaqu``
commands) sees Django's superuser, staff, group and permission fields at all.
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Q
from django.http import HttpRequest

from kaifaqu.access.models import Profile, Role
from kaifaqu.audit.admin import AuditedModelAdmin

# Django's own grant fields on the account: no administrator role may set them.
USER_GRANT_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def _is_own(request: HttpRequest, user_id: int | None) -> bool:
    return user_id is not None and user_id == request.user.pk


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "binding", "actions")
    list_filter = ("kind", "binding")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # A role's kind decides whether it is one of the three administrators: fixed once made.
        return ("kind",) if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _holds(request, obj):
            return False
        return super().has_change_permission(request, obj)


def _holds(request: HttpRequest, role: Role) -> bool:
    """Whether the requesting user holds ``role`` (as business or administrator role)."""
    held = Q(role=role) | Q(admin_role=role)
    return Profile.objects.filter(held, user=request.user.pk).exists()


@admin.register(Profile)
class ProfileAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "admin_role", "region", "must_change_password")
    list_filter = ("role", "admin_role")
    search_fields = ("user__username",)
    autocomplete_fields = ("user", "region", "enterprise")
    filter_horizontal = ("zones",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and _is_own(request, obj.user_id):
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            # a profile made for, or moved to, oneself would grant oneself a role
            field.queryset = User.objects.exclude(username=request.user.get_username())
        return field


class AuditedUserAdmin(AuditedModelAdmin, UserAdmin[User]):
    """Django's user admin, with every change in the change log (password hashes left out)."""

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser and not (obj is not None and _is_own(request, obj.pk)):
            return fieldsets
        return [
            (name, {**options, "fields": _without_grants(options["fields"])})
            for name, options in fieldsets
        ]


def _without_grants(fields: Any) -> tuple[str, ...]:
    return tuple(field for field in fields if field not in USER_GRANT_FIELDS)


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
