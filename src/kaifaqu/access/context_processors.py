from typing import Any

from django.http import HttpRequest

from kaifaqu.access.roles import admin_kind
from kaifaqu.access.scope import has_business_role
from kaifaqu.core.navigation import NAVIGATION, NavSection


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation sections holding at least one entry this user may open."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return {"navigation": NAVIGATION}
    audiences = {admin_kind(user)} | ({"business"} if has_business_role(user) else set())
    sections = []
    for section in NAVIGATION:
        items = tuple(item for item in section.items if item.audience in audiences)
        if items:
            sections.append(NavSection(section.label, items))
    return {"navigation": sections}
