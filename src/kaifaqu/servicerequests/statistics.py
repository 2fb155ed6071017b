"""The 动态清零 statistics of service requests: the set-wise figures of ``supervision.statistics``
over the requests' items (kind ``SQ``), grouped by zone, lead unit or category, with the
request's own 满意率 = (满意 + 基本满意) ÷ rated — over the requests closed in the period that the
enterprise rated (those closed automatically, unrated, are left out) — and a link from every
figure to the list of its requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse

from kaifaqu.core.charts import chart, series
from kaifaqu.servicerequests.choices import SATISFIED_RATINGS, Category
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.supervision.statistics import (
    ClearingFigures,
    clearing_by_month,
    clearing_figures,
    figure_q,
)
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone

KIND_CODE = "SQ"
# What a table may be grouped by: its label, the item's field path, and the request's filter.
GROUPS: dict[str, tuple[str, str, str]] = {
    "zone": ("开发区", "zone", "zone"),
    "lead_unit": ("牵头单位", "lead_unit", "lead_unit"),
    "category": ("诉求类别", "service_request__category", "category"),
}
# The figures a drill-down lists: the clearing figures, and the rated requests of 满意率.
FIGURE_LABELS = {
    "received": "受理",
    "closed": "办结",
    "closed_on_time": "按期办结",
    "overdue": "逾期",
    "cleared": "当期清零",
    "rated": "已评价",
}
GROUP_CHOICES = [(key, label) for key, (label, _, _) in GROUPS.items()]
NO_VALUE = "(未指定)"


def request_items(items: QuerySet[SupervisedItem]) -> QuerySet[SupervisedItem]:
    return items.filter(kind__code=KIND_CODE)


def drill_q(figure: str, *, start: date, end: date) -> Q:
    """The condition on a request for one figure of the period (through its item)."""
    if figure == "rated":
        closed = figure_q("closed", start=start, end=end)
        return Q(item__in=SupervisedItem.objects.filter(closed).values("pk")) & ~Q(rating="")
    inner = figure_q(figure, start=start, end=end)
    return Q(item__in=SupervisedItem.objects.filter(inner).values("pk"))


@dataclass(frozen=True)
class Row:
    key: object  # the group's value (a zone's or unit's id, a category); None for the total
    label: str
    figures: ClearingFigures
    rated: int
    satisfied: int
    links: dict[str, str]

    @property
    def satisfaction_rate(self) -> float | None:
        """满意率: (满意 + 基本满意) ÷ rated."""
        return self.satisfied / self.rated if self.rated else None


def _labels(group: str, keys: Sequence[Any]) -> dict[Any, str]:
    if group == "zone":
        return {z.pk: z.name for z in Zone.objects.filter(pk__in=keys)}
    if group == "lead_unit":
        return {u.pk: u.name for u in Unit.objects.filter(pk__in=keys)}
    return {value: str(label) for value, label in Category.choices}


def _satisfaction(
    requests: QuerySet[ServiceRequest], path: str, *, start: date, end: date
) -> dict[Any, tuple[int, int]]:
    rated = requests.filter(drill_q("rated", start=start, end=end)).order_by()
    rows = rated.values(path).annotate(
        rated=Count("pk"), satisfied=Count("pk", filter=Q(rating__in=SATISFIED_RATINGS))
    )
    return {row[path]: (row["rated"], row["satisfied"]) for row in rows}


def table(
    items: QuerySet[SupervisedItem],
    *,
    group: str,
    start: date,
    end: date,
    base_query: dict[str, Any],
) -> tuple[list[Row], Row]:
    """The rows by ``group`` and the total row, each figure with its drill-down link."""
    _, path, param = GROUPS[group]
    figures = clearing_figures(items, start=start, end=end, by=(path,))
    request_path = "category" if group == "category" else f"item__{path}"
    satisfaction = _satisfaction(_requests(items), request_path, start=start, end=end)
    labels = _labels(group, [f.key[0] for f in figures])
    rows = [
        _row(
            f.key[0],
            labels.get(f.key[0], NO_VALUE),
            f,
            satisfaction.get(f.key[0], (0, 0)),
            {**base_query, param: "" if f.key[0] is None else f.key[0]},
        )
        for f in figures
    ]
    rows.sort(key=lambda row: (-row.figures.received, row.label))
    rated = sum(r for r, _ in satisfaction.values()), sum(s for _, s in satisfaction.values())
    return rows, total(items, start=start, end=end, base_query=base_query, rated=rated)


def total(
    items: QuerySet[SupervisedItem],
    *,
    start: date,
    end: date,
    base_query: dict[str, Any],
    rated: tuple[int, int] | None = None,
) -> Row:
    """The total row of the period, each figure with its drill-down link (``rated``: the rated
    and satisfied counts when the caller has them already)."""
    (figures,) = clearing_figures(items, start=start, end=end)
    if rated is None:
        counts = _satisfaction(_requests(items), "province_code", start=start, end=end).values()
        rated = sum(r for r, _ in counts), sum(s for _, s in counts)
    return _row(None, "合计", figures, rated, base_query)


def _requests(items: QuerySet[SupervisedItem]) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.filter(item__in=items.values("pk"))


def _row(
    key: object, label: str, figures: ClearingFigures, rated: tuple[int, int], query: dict[str, Any]
) -> Row:
    url = reverse("servicerequests:request_list")
    links = {figure: f"{url}?{urlencode({**query, 'figure': figure})}" for figure in FIGURE_LABELS}
    return Row(key, label, figures, rated[0], rated[1], links)


def _month(first: Any) -> str:
    return f"{first.year}年{first.month}月"


def zone_charts(items: QuerySet[SupervisedItem], *, start: date, end: date) -> list[dict[str, Any]]:
    """A chart per zone over the months of the period: received, closed and overdue."""
    monthly = clearing_by_month(items.exclude(zone=None), start=start, end=end, by=("zone",))
    zones: dict[Any, list[ClearingFigures]] = {}
    for figures in monthly:
        zones.setdefault(figures.key[0], []).append(figures)
    names = _labels("zone", list(zones))
    charts = []
    for zone_id, months in sorted(zones.items(), key=lambda kv: names.get(kv[0], "")):
        categories = [_month(f.key[1]) for f in months]
        lines = [
            series("受理", "件", [f.received for f in months]),
            series("办结", "件", [f.closed for f in months]),
            series("逾期", "件", [f.overdue for f in months]),
        ]
        title = f"{names.get(zone_id, NO_VALUE)}:诉求逐月受理、办结与逾期"
        charts.append(chart(f"zone-{zone_id}", title, categories, lines, mark="bar", ordinal=True))
    return charts
