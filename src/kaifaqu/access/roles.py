"""Gates for the three administrators' own pages (三员分立)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views import View

from kaifaqu.access.choices import RoleKind
from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser


def _permissions(model: str, *actions: str) -> frozenset[str]:
    """Django's permission names for ``actions`` on ``model`` ("app.model")."""
    app, name = model.split(".")
    return frozenset(f"{app}.{action}_{name}" for action in actions)


# Django permissions the administrator roles hold (read by access.backends). 三员分立: the system
# administrator keeps the accounts; granting — business roles, bindings, administrator kinds and
# what a role may do — is the security administrator's. Neither edits Django's groups or
# permissions, which the platform does not use to grant anything.
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    RoleKind.SYSTEM_ADMIN: _permissions("auth.user", "view", "add", "change")
    | _permissions("jobs.schedule", "view", "add", "change")
    | _permissions("maps.boundary", "view", "add", "change")
    | _permissions("workdays.calendaryear", "view", "add", "change", "delete")
    | _permissions("workdays.specialday", "view", "add", "change", "delete")
    | _permissions("workdays.day", "view")
    | _permissions("units.unit", "view", "add", "change")
    | _permissions("units.membership", "view")
    | _permissions("supervision.itemkind", "view", "add", "change")
    | _permissions("supervision.escalationrule", "view", "add", "change", "delete")
    | _permissions("servicerequests.complexitysla", "view", "add", "change")
    | _permissions("servicerequests.categorydefault", "view", "add", "change")
    | _permissions("servicerequests.requestrules", "view", "add", "change")
    | _permissions("investment.stagesetting", "view", "change")
    | _permissions("investment.kpistandard", "view", "change")
    | _permissions("investment.kpitarget", "view", "add", "change", "delete")
    | _permissions("investment.projectsizefloor", "view", "add", "change", "delete")
    | _permissions("access.profile", "view")
    | _permissions("access.role", "view"),
    RoleKind.SECURITY_ADMIN: _permissions("auth.user", "view")
    | _permissions("access.profile", "view", "add", "change")
    | _permissions("access.role", "view", "add", "change")
    | _permissions("units.unit", "view")
    | _permissions("units.membership", "view", "add", "change", "delete")
    | _permissions("axes.accessattempt", "view")
    | _permissions("axes.accessfailurelog", "view"),
}


def admin_kind(user: ActingUser) -> str | None:
    profile = user_profile(user)
    return profile.admin_role.kind if profile and profile.admin_role else None


def role_label(user: ActingUser | None) -> str:
    """The user's role codes as the change log records them: business role, administrator role,
    and "superuser" for a superuser."""
    profile = user_profile(user) if user is not None else None
    roles = [role.code for role in (profile.role, profile.admin_role) if role] if profile else []
    if user is not None and user.is_superuser:
        roles.append("superuser")
    return ",".join(roles)


class AdminRoleView(View):
    """A page for one of the three administrators only (a superuser may open all three)."""

    required_kind: RoleKind

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        ensure_admin_kind(request.user, self.required_kind)
        return super().dispatch(request, *args, **kwargs)


def ensure_admin_kind(user: ActingUser, *kinds: RoleKind) -> None:
    """Refuse (403) anyone but the administrators of ``kinds`` (and a superuser)."""
    if not (getattr(user, "is_superuser", False) or admin_kind(user) in kinds):
        raise PermissionDenied(f"仅{'或'.join(str(kind.label) for kind in kinds)}可访问")
