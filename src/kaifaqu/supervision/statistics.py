"""The 动态清零 statistics of supervised items, computed set-wise on SQLite and PostgreSQL.

Each figure is one condition on the items (``figure_q``): the counts aggregate those conditions
in one grouped query, and the drill-down (``figure_items``) filters by the same condition, so a
count and the list behind it cannot disagree. The working days from opening to closing come from
the working-day table's ordinal (``ordinal(closed) - ordinal(opened)``), joined in SQL at both
dates (``SupervisedItem.opened_day`` / ``closed_day``); their median is ``percentile_cont`` in the
same query on PostgreSQL, and on SQLite the median of the per-group differences that a second
query returns.

- received: opened within the period;
- closed: closed within the period;
- closed_on_time: closed within the period, on or before the deadline (the current deadline,
  as moved by approved 延期), or without a deadline;
- overdue: opened by the period's end, not closed by then, its deadline before the end;
- cleared: received in the period and closed by its end.

``items`` arrive restricted to what the user may see and filtered (e.g. by kind); ``by`` are field
paths of ``SupervisedItem`` (``"zone"``, ``"lead_unit"``, ``"service_request__category"``).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Q, QuerySet

from kaifaqu.supervision.models import SupervisedItem

FIGURES = ("received", "closed", "closed_on_time", "overdue", "cleared")


@dataclass(frozen=True)
class ClearingFigures:
    key: tuple[object, ...]  # the values of ``by`` in order (ids / stored values)
    received: int
    closed: int
    closed_on_time: int
    overdue: int
    cleared: int
    median_working_days: float | None  # opened → closed, over the items closed in the period

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率: closed on time ÷ closed."""
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def clearing_rate(self) -> float | None:
        """清零率: received in the period and closed by its end ÷ received in the period."""
        return self.cleared / self.received if self.received else None


def figure_q(figure: str, *, start: date, end: date) -> Q:
    """The condition of one figure over the period [start, end]."""
    closed_in = Q(closed__gte=start, closed__lte=end)
    if figure == "received":
        return Q(opened__gte=start, opened__lte=end)
    if figure == "closed":
        return closed_in
    if figure == "closed_on_time":
        return closed_in & (Q(deadline__isnull=True) | Q(deadline__gte=F("closed")))
    if figure == "overdue":
        return Q(opened__lte=end, deadline__lt=end) & (Q(closed__isnull=True) | Q(closed__gt=end))
    if figure == "cleared":
        return Q(opened__gte=start, opened__lte=end, closed__lte=end)
    raise ValueError(f"unknown figure {figure!r}")


def figure_items(
    items: QuerySet[SupervisedItem], figure: str, *, start: date, end: date
) -> QuerySet[SupervisedItem]:
    """The items behind one figure of the period."""
    return items.filter(figure_q(figure, start=start, end=end))


def _months(start: date, end: date) -> list[tuple[date, date, date]]:
    """Each calendar month of [start, end]: (first day of the month, period start, period end)."""
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=32)).replace(day=1)
        months.append((first, max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return months


def _relevant(start: date, end: date) -> Q:
    """The items any figure of a period within [start, end] may count (a superset)."""
    return (
        Q(opened__gte=start, opened__lte=end)
        | Q(closed__gte=start, closed__lte=end)
        | (Q(opened__lte=end, deadline__lt=end) & (Q(closed__isnull=True) | Q(closed__gte=start)))
    )


WORKING_DAYS = F("closed_day__ordinal") - F("opened_day__ordinal")


class _Median(Aggregate):
    """PostgreSQL's continuous median of an expression over a group (``filter`` allowed)."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _on_postgresql(items: QuerySet[SupervisedItem]) -> bool:
    return connections[items.db].vendor == "postgresql"


def _grouped(
    items: QuerySet[SupervisedItem],
    by: Sequence[str],
    periods: Sequence[tuple[str, date, date]],
    start: date,
    end: date,
) -> list[dict[str, Any]]:
    """One row per distinct ``by`` value with every figure of every period, in one query; on
    PostgreSQL with the median working days of each period too (the working-day table joined
    at both dates)."""
    aggregates: dict[str, Aggregate] = {
        f"{figure}_{name}": Count("pk", filter=figure_q(figure, start=p_start, end=p_end))
        for name, p_start, p_end in periods
        for figure in FIGURES
    }
    if _on_postgresql(items):
        aggregates |= {
            f"median_{name}": _Median(
                WORKING_DAYS, filter=figure_q("closed", start=p_start, end=p_end)
            )
            for name, p_start, p_end in periods
        }
    relevant = items.filter(_relevant(start, end)).order_by()
    if not by:
        return [relevant.aggregate(**aggregates)]
    return list(relevant.values(*by).annotate(**aggregates).order_by(*by))


def _medians(
    items: QuerySet[SupervisedItem],
    by: Sequence[str],
    periods: Sequence[tuple[str, date, date]],
    rows: list[dict[str, Any]],
) -> dict[tuple[object, ...], dict[str, float | None]]:
    """Per ``by`` value, the median working days of each period's closed items: the grouped
    rows hold them on PostgreSQL; elsewhere the working days of those items are read, computed
    in SQL, and their median taken here."""
    if _on_postgresql(items):
        return {
            tuple(row[field] for field in by): {name: row[f"median_{name}"] for name, *_ in periods}
            for row in rows
        }
    first, last = periods[0][1], periods[-1][2]
    closed = items.filter(figure_q("closed", start=first, end=last)).order_by()
    differences: dict[tuple[object, ...], dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    values = closed.annotate(working_days=WORKING_DAYS).values_list(*by, "closed", "working_days")
    for *key, closed_on, working_days in values:
        if working_days is None:  # a date outside the working-day table
            continue
        name = next(name for name, p_start, p_end in periods if p_start <= closed_on <= p_end)
        differences[tuple(key)][name].append(working_days)
    return {
        key: {name: float(statistics.median(days)) for name, days in named.items()}
        for key, named in differences.items()
    }


def _figures(
    items: QuerySet[SupervisedItem],
    by: Sequence[str],
    periods: Sequence[tuple[str, date, date]],
    start: date,
    end: date,
) -> list[tuple[tuple[object, ...], str, dict[str, Any]]]:
    """(``by`` values, period name, figures) of every key and period."""
    rows = _grouped(items, by, periods, start, end)
    medians = _medians(items, by, periods, rows)
    figures = []
    for row in rows:
        key = tuple(row[field] for field in by)
        for name, *_ in periods:
            counts = {figure: row[f"{figure}_{name}"] for figure in FIGURES}
            median = medians.get(key, {}).get(name)
            figures.append((key, name, {**counts, "median_working_days": median}))
    return figures


def clearing_figures(
    items: QuerySet[SupervisedItem], *, start: date, end: date, by: Sequence[str] = ()
) -> list[ClearingFigures]:
    """The figures of the period [start, end], one per distinct value of ``by``."""
    periods = [("all", start, end)]
    return [
        ClearingFigures(key=key, **figures)
        for key, _, figures in _figures(items, by, periods, start, end)
    ]


def clearing_by_month(
    items: QuerySet[SupervisedItem], *, start: date, end: date, by: Sequence[str] = ()
) -> list[ClearingFigures]:
    """The figures of each calendar month of [start, end] (the first and last month cut to the
    period), per distinct value of ``by``; the key ends with the month's first day. Every month
    is listed for every key, months without items with zero counts."""
    months = _months(start, end)
    periods = [(f"{i}", p_start, p_end) for i, (_, p_start, p_end) in enumerate(months)]
    first_days = {name: first for (name, *_), (first, *_) in zip(periods, months, strict=True)}
    return [
        ClearingFigures(key=(*key, first_days[name]), **figures)
        for key, name, figures in _figures(items, by, periods, start, end)
    ]
