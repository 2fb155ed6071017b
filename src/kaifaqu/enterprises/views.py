from typing import Any

from django.db.models import Field
from django.http import HttpRequest

from kaifaqu.core.charts import chart, series
from kaifaqu.core.views import ObjectDetailView, ObjectEditView, ObjectListView
from kaifaqu.enterprises.actions import update_enterprise
from kaifaqu.enterprises.filtersets import EnterpriseFilterSet
from kaifaqu.enterprises.forms import EnterpriseForm
from kaifaqu.enterprises.models import STATISTICS_FIELDS, Enterprise, EnterpriseYear
from kaifaqu.enterprises.tables import EnterpriseTable

# Trend charts: title and the fields drawn in it.
ENTERPRISE_CHARTS = (
    ("营业收入与税收", ("operating_revenue", "tax_paid")),
    ("增加值与利润", ("value_added", "total_profit")),
    ("能耗与电耗", ("energy_tce", "electricity_10k_kwh")),
    ("研发投入与就业", ("rd_expenditure", "avg_employees")),
)


class EnterpriseListView(ObjectListView):
    queryset = Enterprise.objects.select_related("zone", "industry").prefetch_related("tags")
    filterset_class = EnterpriseFilterSet
    table_class = EnterpriseTable
    title = "企业"
    export_kind = "enterprises"


class EnterpriseDetailView(ObjectDetailView):
    queryset = Enterprise.objects.select_related("zone", "region", "industry__parent")
    template_name = "enterprises/enterprise_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Enterprise) -> dict[str, Any]:
        years = list(EnterpriseYear.objects.filter(enterprise=instance).order_by("year"))
        return {
            "years": years,
            "statistics": statistics_rows(years),
            "charts": enterprise_charts(years),
            "events": instance.events.all(),
        }


class EnterpriseEditView(ObjectEditView):
    queryset = Enterprise.objects.all()
    form_class = EnterpriseForm
    action = update_enterprise
    template_name = "enterprises/enterprise_edit.html"
    title = "编辑企业档案"


def _label_and_unit(field_name: str) -> tuple[str, str]:
    """Split a verbose name such as 营业收入(万元) into its label and unit."""
    field = EnterpriseYear._meta.get_field(field_name)
    verbose = str(field.verbose_name if isinstance(field, Field) else field_name)
    label, _, unit = verbose.partition("(")
    return label, unit.rstrip(")")


def statistics_rows(years: list[EnterpriseYear]) -> list[dict[str, Any]]:
    return [
        {
            "label": _label_and_unit(name)[0],
            "unit": _label_and_unit(name)[1],
            "values": [getattr(year, name) for year in years],
        }
        for name in STATISTICS_FIELDS
    ]


def enterprise_charts(years: list[EnterpriseYear]) -> list[dict[str, Any]]:
    categories = [year.year for year in years]
    return [
        chart(
            f"chart-{index}",
            title,
            categories,
            [series(*_label_and_unit(name), (getattr(y, name) for y in years)) for name in fields],
        )
        for index, (title, fields) in enumerate(ENTERPRISE_CHARTS)
    ]
