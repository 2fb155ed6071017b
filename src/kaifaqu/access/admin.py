from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from kaifaqu.access.models import Profile, Role
from kaifaqu.audit.admin import AuditedModelAdmin


@admin.register(Role)
class RoleAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "binding", "actions")
    list_filter = ("kind", "binding")


@admin.register(Profile)
class ProfileAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "admin_role", "region", "must_change_password")
    list_filter = ("role", "admin_role")
    search_fields = ("user__username",)
    autocomplete_fields = ("user", "region", "enterprise")
    filter_horizontal = ("zones",)


class AuditedUserAdmin(AuditedModelAdmin, UserAdmin):
    """Django's user admin, with every change in the change log (password hashes left out)."""


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
