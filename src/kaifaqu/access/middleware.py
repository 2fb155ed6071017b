"""Session rules: the idle timeout and the forced password change."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from kaifaqu.access.scope import user_profile
from kaifaqu.access.totp import VERIFIED, confirmed_device
from kaifaqu.audit.choices import SecurityEventKind
from kaifaqu.audit.events import record_security_event

LAST_ACTIVITY = "kaifaqu_last_activity"
# Requests a page makes by itself (job progress polling) are not the user's activity.
POLL_HEADER = "HTTP_X_KAIFAQU_POLL"
SECOND_FACTOR_REQUIRED = {
    "error": {"code": "second_factor_required", "message": "请先在网页上完成动态口令验证"}
}
PASSWORD_CHANGE_REQUIRED = {
    "error": {"code": "password_change_required", "message": "请先在网页上修改密码后再调用接口"}
}


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY, now)
            if now - last > settings.KAIFAQU_IDLE_TIMEOUT_MINUTES * 60:
                user = request.user
                logout(request)
                record_security_event(SecurityEventKind.SESSION_EXPIRED, request=request, user=user)
                return redirect(f"{reverse('login')}?next={request.path}&expired=1")
            if POLL_HEADER not in request.META:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)


class ForcePasswordChangeMiddleware:
    """Until the password is changed (first login, after a reset), only that page is reachable."""

    allowed = ("password_change", "password_change_done", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        profile = user_profile(request.user)
        if profile is not None and profile.must_change_password:
            name = _url_name(request)
            if name not in self.allowed and not request.path.startswith(settings.STATIC_URL):
                if request.path.startswith("/api/"):
                    return JsonResponse(PASSWORD_CHANGE_REQUIRED, status=403)
                return redirect("password_change")
        return self.get_response(request)


class SecondFactorMiddleware:
    """A user who enabled the second factor reaches nothing but its check until it is passed."""

    allowed = ("totp_verify", "logout")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._needs_check(request):
            if request.path.startswith("/api/"):
                return JsonResponse(SECOND_FACTOR_REQUIRED, status=403)
            return redirect(f"{reverse('totp_verify')}?next={request.path}")
        return self.get_response(request)

    def _needs_check(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_authenticated or request.session.get(VERIFIED):
            return False
        if confirmed_device(user) is None:
            request.session[VERIFIED] = True  # nothing to verify: don't look again this session
            return False
        return _url_name(request) not in self.allowed


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
