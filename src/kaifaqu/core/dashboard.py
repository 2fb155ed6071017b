"""Figures for the 驾驶舱 (home page)."""

from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone


def overview() -> dict[str, Any]:
    latest = EnterpriseYear.objects.aggregate(year=Max("year"))["year"]
    totals = EnterpriseYear.objects.filter(year=latest).aggregate(
        above_scale=Count("id", filter=Q(above_scale=True)),
        revenue=Sum("operating_revenue"),
        tax=Sum("tax_paid"),
    )
    kinds = dict(Zone.objects.values_list("kind").annotate(n=Count("id")))
    return {
        "latest_year": latest,
        "zone_count": sum(kinds.values()),
        "enterprise_count": Enterprise.objects.count(),
        "above_scale_count": totals["above_scale"],
        "revenue_100m": None if totals["revenue"] is None else totals["revenue"] / 10000,
        "tax_100m": None if totals["tax"] is None else totals["tax"] / 10000,
        "zones_by_kind": {
            "categories": [label for value, label in ZoneKind.choices if kinds.get(value)],
            "series": [
                {
                    "name": "开发区数量",
                    "unit": "个",
                    "values": [kinds[value] for value, _ in ZoneKind.choices if kinds.get(value)],
                }
            ],
        },
    }


class HomeView(View):
    """驾驶舱: the province at a glance."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "core/home.html", overview())
