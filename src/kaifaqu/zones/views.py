from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest

from kaifaqu.core.views import ObjectDetailView, ObjectListView
from kaifaqu.zones.filtersets import ZoneFilterSet
from kaifaqu.zones.models import Zone, ZoneYear
from kaifaqu.zones.tables import ZoneTable


class ZoneListView(ObjectListView):
    queryset = Zone.objects.select_related("region")
    filterset_class = ZoneFilterSet
    table_class = ZoneTable
    title = "开发区"


class ZoneDetailView(ObjectDetailView):
    queryset = Zone.objects.select_related("region__parent").prefetch_related("leading_industries")
    template_name = "zones/zone_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Zone) -> dict[str, Any]:
        values = ZoneYear.objects.filter(zone=instance).select_related("indicator")
        years, rows = indicator_table(values)
        return {
            "years": years,
            "indicator_rows": rows,
            "enterprise_count": instance.enterprises.count(),
            "charts": zone_charts(years, rows),
        }


def indicator_table(values: Any) -> tuple[list[int], list[dict[str, Any]]]:
    """Pivot long-form values into one row per indicator with a value per year (None if missing)."""
    by_indicator: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    indicators = {}
    for value in values:
        by_indicator[value.indicator_id][value.year] = value.value
        indicators[value.indicator_id] = value.indicator
    years = sorted({year for series in by_indicator.values() for year in series})
    rows = [
        {"indicator": indicators[pk], "values": [series.get(year) for year in years]}
        for pk, series in sorted(by_indicator.items(), key=lambda item: indicators[item[0]].code)
    ]
    return years, rows


# Indicators shown as trend charts on the zone page, two per chart.
ZONE_CHARTS = (
    ("经济总量", ("gdp", "public_budget_revenue")),
    ("对外开放", ("fdi_actual", "trade_total")),
    ("集约效益", ("tax_per_mu", "va_per_industrial_land")),
    ("创新", ("high_tech_enterprises", "rd_institutions")),
)


def zone_charts(years: list[int], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_code = {row["indicator"].code: row for row in rows}
    charts = []
    for title, codes in ZONE_CHARTS:
        series = [
            {
                "name": by_code[code]["indicator"].name,
                "unit": by_code[code]["indicator"].unit,
                "values": [None if v is None else float(v) for v in by_code[code]["values"]],
            }
            for code in codes
            if code in by_code
        ]
        if series:
            charts.append(
                {
                    "id": f"chart-{len(charts)}",
                    "title": title,
                    "data": {"categories": years, "series": series},
                }
            )
    return charts
