from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from kaifaqu.access.roles import ROLE_PERMISSIONS, admin_kind


class KaifaquAdminSite(admin.AdminSite):
    """Django's admin for data stewards (staff) and for the system and security administrators."""

    site_header = "开发区智慧管理平台 · 数据管理"
    site_title = "数据管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_staff or admin_kind(user) in ROLE_PERMISSIONS)


class KaifaquAdminConfig(AdminConfig):
    default_site = "kaifaqu.access.admin_site.KaifaquAdminSite"
