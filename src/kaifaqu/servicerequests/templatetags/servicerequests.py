"""The 企业诉求 figures and lists that other pages drop in (a template tag, so the pages' apps
do not import this one): ``{% requests_panel %}`` on the 驾驶舱 and ``{% enterprise_requests
enterprise %}`` on an enterprise's profile, each in the user's scope."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from kaifaqu.access.scope import has_business_role
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.servicerequests.statistics import request_items, total
from kaifaqu.supervision.models import SupervisedItem

register = template.Library()

# How many of an enterprise's requests its profile lists before linking to the whole list.
PROFILE_SHOWN = 10


@register.inclusion_tag("servicerequests/includes/panel.html", takes_context=True)
def requests_panel(context: template.Context) -> dict[str, Any]:
    """The year to date of the requests in the user's scope: received, 按期办结率, overdue now
    and 满意率, each linked to the requests behind it (the statistics' own drill-down)."""
    user = context["request"].user
    if not has_business_role(user, "view"):
        return {"row": None}
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    query = {"start": start.isoformat(), "end": today.isoformat()}
    items = request_items(SupervisedItem.objects.restrict(user))
    return {
        "row": total(items, start=start, end=today, base_query=query),
        "start": start,
        "end": today,
        "statistics": f"{reverse('servicerequests:statistics')}?{urlencode(query)}",
    }


@register.inclusion_tag("servicerequests/includes/enterprise_requests.html", takes_context=True)
def enterprise_requests(context: template.Context, enterprise: Model) -> dict[str, Any]:
    """An enterprise's requests that the user may see, latest first."""
    user = context["request"].user
    requests = (
        ServiceRequest.objects.restrict(user)
        .filter(enterprise=enterprise)
        .with_stage()
        .select_related("item__lead_unit")
        .order_by("-filed", "-pk")
    )
    query = urlencode({"enterprise": enterprise.pk})
    return {
        "requests": requests[:PROFILE_SHOWN],
        "count": requests.count(),
        "url": f"{reverse('servicerequests:request_list')}?{query}",
    }
