from typing import Any

from django.http import HttpRequest

from kaifaqu.access.roles import admin_kind
from kaifaqu.access.scope import has_business_role
from kaifaqu.access.users import ActingUser
from kaifaqu.core.navigation import NAVIGATION, NavItem, NavSection


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation sections holding at least one entry this user may open."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return {"navigation": NAVIGATION}
    kind = admin_kind(user)
    sections = []
    for section in NAVIGATION:
        items = tuple(item for item in section.items if _opens(user, kind, item))
        if items:
            sections.append(NavSection(section.label, items))
    return {"navigation": sections}


def _opens(user: ActingUser, kind: str | None, item: NavItem) -> bool:
    if item.audience == "business":
        return has_business_role(user, item.required_action)
    return item.audience == kind
