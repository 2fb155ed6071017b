"""The reporting periods of a recurring task: a report is due at the end of each period.

>>> [p.label for p in periods("quarterly", date(2025, 8, 1), date(2026, 1, 5))]
['2025年第3季度', '2025年第4季度', '2026年第1季度']
>>> periods("yearly", date(2025, 8, 1), date(2025, 8, 1))[0].end
datetime.date(2025, 12, 31)
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from kaifaqu.policies.choices import Recurrence

# Months per period; 定期 without a stated cadence is reported quarterly.
MONTHS = {
    Recurrence.YEARLY: 12,
    Recurrence.QUARTERLY: 3,
    Recurrence.MONTHLY: 1,
    Recurrence.PERIODIC: 3,
}


@dataclass(frozen=True)
class Period:
    label: str
    end: date


def _label(months: int, year: int, last_month: int) -> str:
    if months == 12:
        return f"{year}年"
    if months == 3:
        return f"{year}年第{last_month // 3}季度"
    return f"{year}年{last_month}月"


def periods(recurrence: str, start: date, until: date) -> list[Period]:
    """The periods from the one holding ``start`` to the one holding ``until``."""
    months = MONTHS[Recurrence(recurrence)]
    found = []
    year, month = start.year, ((start.month - 1) // months + 1) * months
    while True:
        end = date(year, month, calendar.monthrange(year, month)[1])
        found.append(Period(_label(months, year, month), end))
        if end >= until:
            return found
        month += months
        if month > 12:
            year, month = year + 1, month - 12
