"""Working-day arithmetic on the official calendar, in Python and in SQL.

A date's *ordinal* is the number of working days from the first date of the ``Day`` table up to
and including it, so a non-working day shares the ordinal of the working day before it. Then:

- the working days after ``a`` up to and including ``b`` are ``ordinal(b) - ordinal(a)``;
- ``n`` working days after ``start`` is the working day whose ordinal is ``ordinal(start) + n``;
- a deadline ``d`` is at least ``n`` working days overdue on ``today`` exactly when ``d`` falls
  before the working day whose ordinal is ``ordinal(today) - n + 1`` (``overdue_cutoff``), one
  comparison that a single UPDATE or SELECT applies to a whole table.

Years whose official calendar is not loaded (``CalendarYear``) count Monday to Friday; such a
result is *not official* and the page says so (``Deadline.official``). Dates beyond the table are
counted day by day in Python, on the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kaifaqu.workdays.choices import DayKind
from kaifaqu.workdays.models import CalendarYear, Day, SpecialDay

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    date: date
    official: bool  # False: a year it spans has no official calendar loaded (weekends only)


def is_working(day: date, special: dict[date, bool]) -> bool:
    """Whether ``day`` is a working day, given the special days (date → working)."""
    return special.get(day, day.weekday() < 5)


def day_rows(
    special: dict[date, bool], loaded: Iterable[int], first: date, last: date
) -> list[Any]:
    """The ``Day`` table from ``first`` to ``last`` as (date, working, ordinal, official)."""
    loaded_years = set(loaded)
    rows = []
    ordinal = 0
    day = first
    while day <= last:
        working = is_working(day, special)
        ordinal += working
        rows.append((day, working, ordinal, day.year in loaded_years))
        day += ONE_DAY
    return rows


def rebuild_days(
    day_model: Any = Day, special_model: Any = SpecialDay, year_model: Any = CalendarYear
) -> int:
    """Write the ``Day`` table again from the calendar (the models are parameters so that a data
    migration passes its historical ones); returns the number of rows."""
    loaded = set(year_model.objects.values_list("year", flat=True))
    special = {row.date: row.kind == DayKind.WORKDAY for row in special_model.objects.all()}
    this_year = timezone.localdate().year
    first = date(min(loaded | {this_year}), 1, 1)
    last = date(max(loaded | {this_year}) + settings.KAIFAQU_CALENDAR_YEARS_AHEAD, 12, 31)
    rows = day_rows(special, loaded, first, last)
    with transaction.atomic():
        day_model.objects.all().delete()
        day_model.objects.bulk_create(
            [day_model(date=d, working=w, ordinal=o, official=f) for d, w, o, f in rows],
            batch_size=2000,
        )
    return len(rows)


def ordinal_of(day: date) -> int | None:
    """A date's working-day ordinal (None outside the table)."""
    return Day.objects.filter(date=day).values_list("ordinal", flat=True).first()


def _special() -> dict[date, bool]:
    return {
        d: kind == DayKind.WORKDAY for d, kind in SpecialDay.objects.values_list("date", "kind")
    }


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself for 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return start
    ordinal = ordinal_of(start)
    if ordinal is not None:
        found = (
            Day.objects.filter(ordinal=ordinal + n, working=True)
            .values_list("date", flat=True)
            .first()
        )
        if found is not None:
            return found
    special = _special()
    day = start
    while n:
        day += ONE_DAY
        n -= is_working(day, special)
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``)."""
    if b < a:
        return -working_days_between(b, a)
    first, last = ordinal_of(a), ordinal_of(b)
    if first is not None and last is not None:
        return last - first
    special = _special()
    return sum(is_working(a + timedelta(days=i), special) for i in range(1, (b - a).days + 1))


def official_between(a: date, b: date) -> bool:
    """Whether the official calendar of every year from ``a`` to ``b`` is loaded."""
    years = set(range(min(a, b).year, max(a, b).year + 1))
    return CalendarYear.objects.filter(year__in=years).count() == len(years)


def deadline_after(start: date, n: int) -> Deadline:
    """The deadline ``n`` working days after ``start``, and whether it is on official calendars."""
    end = add_working_days(start, n)
    return Deadline(end, official_between(start, end))


def overdue_cutoff(today: date, n: int) -> date:
    """Deadlines before the returned date are at least ``n`` (≥ 1) working days overdue on
    ``today``: the ``n``-th working day counted back from ``today`` (``today`` counts)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    ordinal = ordinal_of(today)
    if ordinal is not None and ordinal - n + 1 >= 1:
        found = (
            Day.objects.filter(ordinal=ordinal - n + 1, working=True)
            .values_list("date", flat=True)
            .first()
        )
        if found is not None:
            return found
    special = _special()
    day = today
    while True:
        n -= is_working(day, special)
        if n == 0:
            return day
        day -= ONE_DAY


def ordinal_at(field: str) -> Subquery:
    """SQL: the working-day ordinal of the date in ``field`` (NULL outside the table), to
    annotate a whole queryset, e.g. ``today_ordinal - ordinal_at("deadline")`` days overdue."""
    return Subquery(
        Day.objects.filter(date=OuterRef(field)).values("ordinal")[:1],
        output_field=models.IntegerField(),
    )
