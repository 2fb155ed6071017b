from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kaifaqu.access.actions import locked_usernames, password_changed, reset_password, unlock
from kaifaqu.access.choices import RoleKind
from kaifaqu.access.forms import ResetPasswordForm
from kaifaqu.access.roles import AdminRoleView
from kaifaqu.audit.models import SecurityEvent


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also lifts the forced change and records the event."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(self.request.user, request=self.request)
        return response


class SecurityConsoleView(AdminRoleView):
    """安全管理员: locked accounts, password resets and the security events."""

    required_kind = RoleKind.SECURITY_ADMIN
    template_name = "access/security_console.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ResetPasswordForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "unlock" in request.POST:
            unlock(request.POST["unlock"], acting_user=request.user, request=request)
            messages.success(request, f"已解除锁定:{request.POST['unlock']}")
            return redirect("access:security")
        form = ResetPasswordForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        reset_password(
            form.cleaned_data["user"],
            form.cleaned_data["temporary_password"],
            acting_user=request.user,
            request=request,
        )
        messages.success(request, "密码已重置,用户下次登录须修改密码")
        return redirect("access:security")

    def _render(self, request: HttpRequest, form: ResetPasswordForm) -> HttpResponse:
        context = {
            "form": form,
            "lockouts": locked_usernames(),
            "events": SecurityEvent.objects.all()[:100],
        }
        return render(request, self.template_name, context)
