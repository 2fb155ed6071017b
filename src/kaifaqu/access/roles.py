"""Gates for the three administrators' own pages (三员分立)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views import View

from kaifaqu.access.choices import RoleKind
from kaifaqu.access.scope import user_profile

# Django permissions the administrator roles hold (read by access.backends).
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    RoleKind.SYSTEM_ADMIN: frozenset(
        f"{app}.{action}_{model}"
        for app, model in (
            ("auth", "user"),
            ("auth", "group"),
            ("access", "role"),
            ("access", "profile"),
            ("jobs", "schedule"),
        )
        for action in ("view", "add", "change")
    ),
    RoleKind.SECURITY_ADMIN: frozenset({"axes.view_accessattempt", "axes.view_accessfailurelog"}),
}


def admin_kind(user: Any) -> str | None:
    profile = user_profile(user)
    return profile.admin_role.kind if profile and profile.admin_role else None


class AdminRoleView(View):
    """A page for one of the three administrators only (a superuser may open all three)."""

    required_kind: RoleKind

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not (getattr(user, "is_superuser", False) or admin_kind(user) == self.required_kind):
            raise PermissionDenied(f"仅{self.required_kind.label}可访问")
        return super().dispatch(request, *args, **kwargs)
