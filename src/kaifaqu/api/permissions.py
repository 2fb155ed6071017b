"""Who may call what. Which objects is decided by ``restrict()`` in the viewsets' querysets."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from kaifaqu.core.policy import access_policy


class ScopedAccess(BasePermission):
    """Regional data: a business role that allows viewing, and changing for a write.

    As on the pages, the three administrators alone (no business role) get 403. Past this check a
    role is held to its scope object by object: an object outside it is a 404 (the queryset is
    restricted), a write that would leave it a 403 (``audited_save``).
    """

    message = "您的角色无权执行此操作"

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        action = "view" if request.method in SAFE_METHODS else "change"
        return access_policy().has_business_role(request.user, action)
