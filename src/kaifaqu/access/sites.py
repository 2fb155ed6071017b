"""The admin site: for data stewards (staff) and the system and security administrators.

Loaded by ``admin_site.KaifaquAdminConfig`` once the apps are ready, so it may import forms.
"""

from django.contrib import admin
from django.http import HttpRequest

from kaifaqu.access.forms import AdminLoginForm
from kaifaqu.access.roles import ROLE_PERMISSIONS, admin_kind


class KaifaquAdminSite(admin.AdminSite):
    site_header = "开发区智慧管理平台 · 数据管理"
    site_title = "数据管理"
    login_form = AdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and (user.is_staff or admin_kind(user) in ROLE_PERMISSIONS)
