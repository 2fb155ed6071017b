from typing import Any, ClassVar

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from kaifaqu.access.actions import locked_usernames, password_changed, reset_password, unlock
from kaifaqu.access.choices import RoleKind
from kaifaqu.access.forms import ResetPasswordForm, RevokeForm, UnlockForm
from kaifaqu.access.roles import AdminRoleView, admin_kind, ensure_admin_kind
from kaifaqu.access.scope import NOTHING, region_condition, user_profile
from kaifaqu.access.tables import ChangeTable, DomainEventTable, SecurityEventTable
from kaifaqu.access.tokens import active_tokens, issue_token, revoke_token
from kaifaqu.access.totp import (
    confirm,
    confirmed_device,
    disable,
    provisioning_uri,
    start_setup,
    verify,
)
from kaifaqu.access.users import ActingUser, account
from kaifaqu.audit.choices import SecurityEventKind
from kaifaqu.audit.events import record_security_event
from kaifaqu.audit.filtersets import (
    DomainEventFilterSet,
    ObjectChangeFilterSet,
    SecurityEventFilterSet,
)
from kaifaqu.audit.models import DomainEvent, ObjectChange, SecurityEvent
from kaifaqu.audit.readable import (
    CHANNEL_LABELS,
    differences,
    model_label,
    role_names,
    snapshot_text,
)
from kaifaqu.core.views import ObjectListView


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; every denial is a security event for the auditors."""
    record_security_event(
        SecurityEventKind.PERMISSION_DENIED,
        request=request,
        user=request.user,
        detail=str(exception or ""),
    )
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


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
        password_changed(account(self.request.user), request=self.request)
        return response

    def _credentials(self) -> dict[str, str]:
        return {"username": self.request.user.get_username()}

    def _locked_out(self) -> HttpResponse:
        credentials = self._credentials()
        logout(self.request)
        response: HttpResponse = get_lockout_response(self.request, credentials=credentials)
        return response


class SecurityConsoleView(AdminRoleView):
    """安全管理员: locked accounts, password resets and the security events."""

    required_kind = RoleKind.SECURITY_ADMIN
    template_name = "access/security_console.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ResetPasswordForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if (unlocking := UnlockForm(request.POST)).is_valid():
            username = unlocking.cleaned_data["unlock"]
            unlock(username, acting_user=request.user, request=request)
            messages.success(request, f"已解除锁定:{username}")
            return redirect("access:security")
        if (revoking := RevokeForm(request.POST)).is_valid():
            token = get_object_or_404(active_tokens(), pk=revoking.cleaned_data["revoke"])
            revoke_token(token, acting_user=request.user)
            messages.success(request, f"已撤销令牌:{token}")
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
            "tokens": active_tokens().select_related("user"),
        }
        return render(request, self.template_name, context)


class TokenForm(forms.Form):
    name = forms.CharField(label="名称", max_length=64, help_text="调用方系统,如「12345 热线平台」")
    code = forms.CharField(label="动态口令", max_length=8, required=False)


class TokensView(View):
    """A user's own API tokens: made (the key shown once), listed and revoked."""

    template_name = "access/tokens.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TokenForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if (revoking := RevokeForm(request.POST)).is_valid():
            token = get_object_or_404(
                active_tokens(account(request.user)), pk=revoking.cleaned_data["revoke"]
            )
            revoke_token(token, acting_user=request.user)
            messages.success(request, f"已撤销令牌:{token.name}")
            return redirect("api_tokens")
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        try:
            token, key = issue_token(
                account(request.user), form.cleaned_data["name"], code=form.cleaned_data["code"]
            )
        except PermissionError as refused:
            form.add_error("code", str(refused))
            return self._render(request, form)
        return self._render(request, TokenForm(), new_key=key, new_token=token)

    def _render(self, request: HttpRequest, form: TokenForm, **extra: Any) -> HttpResponse:
        context = {
            "form": form,
            "tokens": active_tokens(account(request.user)),
            "needs_code": confirmed_device(request.user) is not None,
            "days": settings.KAIFAQU_API_TOKEN_DAYS,
            **extra,
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
        return self._render(request, CodeForm(), start_setup(account(request.user)))

    def post(self, request: HttpRequest) -> HttpResponse:
        device = start_setup(account(request.user))
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


class TOTPVerifyView(auth_views.RedirectURLMixin, View):
    """The second factor after the password; then on to ``?next=`` if it is this site's."""

    template_name = "access/totp_verify.html"
    next_page = "home"

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
            return redirect(self.get_success_url())
        form.add_error("code", "动态口令不正确")
        return render(request, self.template_name, {"form": form})


def auditor_condition(user: ActingUser) -> Q:
    """Change-log rows of the auditor's region; a superuser sees all."""
    if getattr(user, "is_superuser", False):
        return Q()
    profile = user_profile(user)
    if profile is None or profile.region is None:
        return NOTHING
    return region_condition(
        profile.region, province_field="province_code", code_field="region_code"
    )


class AdminListView(ObjectListView):
    """An administrator's list on the generic list: paged, filtered, sortable and exportable like
    every other; only the administrators of ``admin_kinds`` open it (not a business role)."""

    admin_kinds: ClassVar[tuple[RoleKind, ...]] = (RoleKind.AUDIT_ADMIN,)
    default_sort = "-time"

    def check_permission(self, request: HttpRequest) -> None:
        ensure_admin_kind(request.user, *self.admin_kinds)

    def get_extra_context(self, request: HttpRequest) -> dict[str, Any]:
        """The console's tabs: the lists this administrator may open."""
        superuser = getattr(request.user, "is_superuser", False)
        kind = admin_kind(request.user)
        current = request.resolver_match.view_name if request.resolver_match else ""
        tabs = [
            {"url": reverse(name), "label": label, "active": name == current}
            for name, label, view in AUDIT_TABS
            if superuser or kind in view.admin_kinds
        ]
        return {"tabs": tabs}


class AuditConsoleView(AdminListView):
    """审计管理员: the change log within its region, each row showing what changed; the whole
    snapshots one click away (and in the export)."""

    queryset = ObjectChange.objects.select_related("content_type")
    filterset_class = ObjectChangeFilterSet
    table_class = ChangeTable
    title = "审计 · 变更日志"
    template_name = "access/audit_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ObjectChange]:
        return self.queryset.filter(auditor_condition(request.user))


class SecurityEventListView(AdminListView):
    """Logins, failures, lockouts and refusals: for the auditor, and for the security
    administrator who unlocks the accounts."""

    admin_kinds = (RoleKind.AUDIT_ADMIN, RoleKind.SECURITY_ADMIN)
    queryset = SecurityEvent.objects.all()
    filterset_class = SecurityEventFilterSet
    table_class = SecurityEventTable
    title = "审计 · 安全事件"
    template_name = "access/audit_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[SecurityEvent]:
        return self.queryset


class DomainEventListView(AdminListView):
    """Business transitions (imports, grants, publications) within the auditor's region."""

    queryset = DomainEvent.objects.all()
    filterset_class = DomainEventFilterSet
    table_class = DomainEventTable
    title = "审计 · 业务事件"
    template_name = "access/audit_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[DomainEvent]:
        return self.queryset.filter(auditor_condition(request.user))


AUDIT_TABS: tuple[tuple[str, str, type[AdminListView]], ...] = (
    ("audit:console", "变更日志", AuditConsoleView),
    ("audit:security_events", "安全事件", SecurityEventListView),
    ("audit:domain_events", "业务事件", DomainEventListView),
)


class ChangeDetailView(View):
    """One change-log row whole: every field before and after, the changed ones marked."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        ensure_admin_kind(request.user, RoleKind.AUDIT_ADMIN)
        changes = ObjectChange.objects.filter(auditor_condition(request.user))
        change = get_object_or_404(changes.select_related("content_type"), pk=pk)
        context = {
            "change": change,
            "differences": differences(change),
            "before": snapshot_text(change, change.before),
            "after": snapshot_text(change, change.after),
            "role": role_names().get(change.role, change.role),
            "channel": CHANNEL_LABELS.get(change.channel, change.channel),
            "model": model_label(change),
        }
        return render(request, "access/change_detail.html", context)
