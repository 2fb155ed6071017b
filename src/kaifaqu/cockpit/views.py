"""The 驾驶舱 (home page): the user's scope at a glance, read from summary tables."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Max, QuerySet, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from kaifaqu.access.choices import RoleKind
from kaifaqu.access.roles import admin_kind
from kaifaqu.access.scope import has_business_role
from kaifaqu.access.users import ActingUser
from kaifaqu.core.charts import chart, series
from kaifaqu.core.views import BusinessView
from kaifaqu.enterprises.views import EnterpriseListView
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone, ZoneYearSummary
from kaifaqu.zones.views import ZoneListView


def overview(user: ActingUser) -> dict[str, Any]:
    summaries = ZoneYearSummary.objects.restrict(user, "view")
    latest = summaries.aggregate(year=Max("year"))["year"]
    totals = summaries.filter(year=latest).aggregate(
        enterprises=Sum("enterprise_count"),
        above_scale=Sum("above_scale_count"),
        revenue=Sum("operating_revenue"),
        tax=Sum("tax_paid"),
    )
    kinds = dict(Zone.objects.restrict(user, "view").values_list("kind").annotate(n=Count("id")))
    return {
        "latest_year": latest,
        "zone_count": sum(kinds.values()),
        "enterprise_count": totals["enterprises"],
        "above_scale_count": totals["above_scale"],
        "revenue": totals["revenue"],
        "tax": totals["tax"],
        "charts": cockpit_charts(summaries, latest, kinds),
    }


def cockpit_charts(
    summaries: QuerySet[ZoneYearSummary], latest: int | None, kinds: dict[str, int]
) -> list[dict[str, Any]]:
    """What the scope reads at a glance. A comparison across zones or kinds only where there is
    more than one to compare; the trend over the years always, so a single zone's 管委会 sees how
    its own zone moves rather than one bar."""
    charts = trend_charts(summaries)
    present = [(value, label) for value, label in ZoneKind.choices if kinds.get(value)]
    if len(present) > 1:
        charts.append(
            chart(
                "zones-by-kind",
                "各类开发区数量",
                [label for _, label in present],
                [series("开发区数量", "个", [kinds[v] for v, _ in present])],
                mark="bar",
            )
        )
    if sum(kinds.values()) > 1 and latest is not None:
        rows = list(
            summaries.filter(year=latest)
            .order_by("-operating_revenue", "zone__name")
            .values_list("zone__name", "operating_revenue")
        )
        charts.append(
            chart(
                "revenue-by-zone",
                f"各开发区营业收入({latest}年)",
                [name for name, _ in rows],
                [series("营业收入", "万元", [revenue for _, revenue in rows])],
                mark="bar",
            )
        )
    return charts


def trend_charts(summaries: QuerySet[ZoneYearSummary]) -> list[dict[str, Any]]:
    by_year = list(
        summaries.values("year")
        .order_by("year")
        .annotate(
            enterprises=Sum("enterprise_count"),
            above_scale=Sum("above_scale_count"),
            revenue=Sum("operating_revenue"),
            tax=Sum("tax_paid"),
        )
    )
    if not by_year:
        return []
    years = [row["year"] for row in by_year]
    return [
        chart(
            "trend-money",
            "营业收入与实缴税收(历年)",
            years,
            [
                series("营业收入", "万元", [row["revenue"] for row in by_year]),
                series("实缴税收", "万元", [row["tax"] for row in by_year]),
            ],
        ),
        chart(
            "trend-enterprises",
            "有统计数据企业与规上工业企业(历年)",
            years,
            [
                series("有统计数据企业", "家", [row["enterprises"] for row in by_year]),
                series("规上工业企业", "家", [row["above_scale"] for row in by_year]),
            ],
            mark="bar",
        ),
    ]


class SearchForm(forms.Form):
    q = forms.CharField(label="查询", max_length=100, strip=True)


# How many of each kind the results page shows before linking to the whole filtered list.
SEARCH_SHOWN = 10


class SearchView(BusinessView):
    """The header's search: zones by name or code, enterprises by name or credit code, on one
    page. Each part is the list's own filtered queryset (``?q=`` of the zone and enterprise
    lists, in the user's scope), its first rows with the count and a link to the whole list."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SearchForm(request.GET)
        parts = []
        if form.is_valid():
            query = urlencode({"q": form.cleaned_data["q"]})
            for title, view, url in (
                ("开发区", ZoneListView(), "zones:zone_list"),
                ("企业", EnterpriseListView(), "enterprises:enterprise_list"),
            ):
                found = view.filtered_queryset(request)  # in the model's order
                parts.append(
                    {
                        "title": title,
                        "rows": found[:SEARCH_SHOWN],
                        "count": found.count(),
                        "url": f"{reverse(url)}?{query}",
                    }
                )
        return render(request, "cockpit/search.html", {"form": form, "parts": parts})


class HomeView(BusinessView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # The three administrators without a business role land on their own console.
        consoles: dict[str, str] = {
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
