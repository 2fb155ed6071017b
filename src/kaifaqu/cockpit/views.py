"""The 驾驶舱 (home page): the user's scope at a glance, read from summary tables."""

from typing import Any

from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kaifaqu.access.choices import RoleKind
from kaifaqu.access.roles import admin_kind
from kaifaqu.access.scope import has_business_role
from kaifaqu.core.views import BusinessView
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone, ZoneYearSummary


def overview(user: Any) -> dict[str, Any]:
    summaries = ZoneYearSummary.objects.restrict(user, "view")
    latest = summaries.aggregate(year=Max("year"))["year"]
    totals = summaries.filter(year=latest).aggregate(
        enterprises=Sum("enterprise_count"),
        above_scale=Sum("above_scale_count"),
        revenue=Sum("operating_revenue"),
        tax=Sum("tax_paid"),
    )
    kinds = dict(Zone.objects.restrict(user, "view").values_list("kind").annotate(n=Count("id")))
    present = [(value, label) for value, label in ZoneKind.choices if kinds.get(value)]
    return {
        "latest_year": latest,
        "zone_count": sum(kinds.values()),
        "enterprise_count": totals["enterprises"],
        "above_scale_count": totals["above_scale"],
        "revenue": totals["revenue"],
        "tax": totals["tax"],
        "zones_by_kind": {
            "categories": [label for _, label in present],
            "series": [
                {"name": "开发区数量", "unit": "个", "values": [kinds[v] for v, _ in present]}
            ],
        },
    }


class HomeView(BusinessView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The three administrators without a business role land on their own console.
        consoles = {
            RoleKind.SECURITY_ADMIN: "access:security",
            RoleKind.AUDIT_ADMIN: "audit:console",
            RoleKind.SYSTEM_ADMIN: "admin:index",
        }
        kind = admin_kind(request.user)
        if kind in consoles and not has_business_role(request.user):
            return redirect(consoles[kind])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cockpit/home.html", overview(request.user))
