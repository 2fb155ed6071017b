from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kaifaqu.core.charts import chart, series
from kaifaqu.core.views import BusinessView, ObjectDetailView, ObjectListView
from kaifaqu.zones.actions import request_summary_refresh
from kaifaqu.zones.filtersets import ZoneFilterSet
from kaifaqu.zones.models import Zone, ZoneYear, ZoneYearSummary
from kaifaqu.zones.tables import ZoneTable


class ZoneListView(ObjectListView):
    queryset = Zone.objects.select_related("region")
    filterset_class = ZoneFilterSet
    table_class = ZoneTable
    template_name = "zones/zone_list.html"
    title = "开发区"
    export_kind = "zones"


class ZoneDetailView(ObjectDetailView):
    queryset = Zone.objects.select_related("region__parent").prefetch_related("leading_industries")
    template_name = "zones/zone_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Zone) -> dict[str, Any]:
        values = ZoneYear.objects.restrict(request.user).filter(zone=instance)
        years, rows = indicator_table(values.select_related("indicator"))
        summaries = list(ZoneYearSummary.objects.restrict(request.user).filter(zone=instance))
        return {
            "years": years,
            "indicator_rows": rows,
            "enterprise_count": instance.enterprises.count(),
            "summaries": summaries,
            "charts": ([summary_chart(summaries)] if summaries else []) + zone_charts(years, rows),
        }


class RefreshSummariesView(BusinessView):
    """Starts the summary refresh job and shows its progress page."""

    required_action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        job = request_summary_refresh(acting_user=request.user)
        return redirect("jobs:job", pk=job.pk)


def indicator_table(values: Any) -> tuple[list[int], list[dict[str, Any]]]:
    """Pivot long-form values into one row per indicator with a value per year (None if missing)."""
    by_indicator: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    indicators = {}
    for value in values:
        by_indicator[value.indicator_id][value.year] = value.value
        indicators[value.indicator_id] = value.indicator
    years = sorted({year for by_year in by_indicator.values() for year in by_year})
    rows = [
        {"indicator": indicators[pk], "values": [by_year.get(year) for year in years]}
        for pk, by_year in sorted(by_indicator.items(), key=lambda item: indicators[item[0]].code)
    ]
    return years, rows


# Indicators shown as trend charts on the zone page, two per chart.
ZONE_CHARTS = (
    ("经济总量", ("gdp", "public_budget_revenue")),
    ("对外开放", ("fdi_actual", "trade_total")),
    ("集约效益", ("tax_per_mu", "va_per_industrial_land")),
    ("创新", ("high_tech_enterprises", "rd_institutions")),
)


def summary_chart(summaries: list[ZoneYearSummary]) -> dict[str, Any]:
    lines = [
        series(label, "万元", (getattr(summary, name) for summary in summaries))
        for name, label in (("operating_revenue", "营业收入"), ("tax_paid", "实缴税收"))
    ]
    return chart("chart-summary", "企业经济总量", [s.year for s in summaries], lines)


def zone_charts(years: list[int], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code = {row["indicator"].code: row for row in rows}
    charts = []
    for index, (title, codes) in enumerate(ZONE_CHARTS):
        lines = [
            series(
                by_code[code]["indicator"].name,
                by_code[code]["indicator"].unit,
                by_code[code]["values"],
            )
            for code in codes
            if code in by_code
        ]
        if lines:
            charts.append(chart(f"chart-{index}", title, years, lines))
    return charts
