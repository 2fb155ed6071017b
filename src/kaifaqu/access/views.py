from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from kaifaqu.access.actions import locked_usernames, password_changed, reset_password, unlock
from kaifaqu.access.choices import RoleKind
from kaifaqu.access.forms import ResetPasswordForm
from kaifaqu.access.roles import AdminRoleView
from kaifaqu.access.totp import (
    confirm,
    confirmed_device,
    disable,
    provisioning_uri,
    start_setup,
    verify,
)
from kaifaqu.audit.models import SecurityEvent


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, which also lifts the forced change and records the event.

    The old password is a login attempt: a wrong one counts towards the account's lockout, and a
    locked account is signed out, so a borrowed session cannot guess the password without limit.
    """

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if AxesProxyHandler.is_locked(request, self._credentials()):
            return self._locked_out()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if form.has_error("old_password", "password_incorrect"):
            user_login_failed.send(__name__, credentials=self._credentials(), request=self.request)
            if self.request.axes_locked_out:  # type: ignore[attr-defined]
                return self._locked_out()
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(self.request.user, request=self.request)
        return response

    def _credentials(self) -> dict[str, str]:
        return {"username": self.request.user.get_username()}

    def _locked_out(self) -> HttpResponse:
        credentials = self._credentials()
        logout(self.request)
        return get_lockout_response(self.request, credentials=credentials)


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


class CodeForm(forms.Form):
    code = forms.CharField(
        label="动态口令",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TOTPSetupView(View):
    """Any user may turn on the second factor for their own account (and off, with a code)."""

    template_name = "access/totp_setup.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, CodeForm(), start_setup(request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        device = start_setup(request.user)
        form = CodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"]
            done = (
                disable(device, code, request=request)
                if device.confirmed
                else confirm(device, code, request=request)
            )
            if done:
                return redirect("totp_setup")
            form.add_error("code", "动态口令不正确,请核对手机上显示的6位数字")
        return self._render(request, form, device)

    def _render(self, request: HttpRequest, form: CodeForm, device: Any) -> HttpResponse:
        context = {"form": form, "device": device, "uri": provisioning_uri(device)}
        return render(request, self.template_name, context)


class TOTPVerifyView(View):
    template_name = "access/totp_verify.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        device = confirmed_device(request.user)
        if (
            form.is_valid()
            and device
            and verify(device, form.cleaned_data["code"], request=request)
        ):
            target = request.GET.get("next", "")
            return redirect(target if url_has_allowed_host_and_scheme(target, None) else "home")
        form.add_error("code", "动态口令不正确")
        return render(request, self.template_name, {"form": form})
