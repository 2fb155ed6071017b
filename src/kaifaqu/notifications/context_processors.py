from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kaifaqu.core.policy import access_policy
from kaifaqu.notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's unread count for a user with an inbox (a business role): one query, made
    only when a page shows the header."""
    user = request.user
    if not access_policy().has_business_role(user, "view"):
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.restrict(user).unread().count()
        )
    }
