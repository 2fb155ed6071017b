"""The published years, as the maintained ``chinesecalendar`` package carries them.

Read once, by the data migration that seeds a new installation; later years are added in the
admin by the system administrator when the State Council publishes them (or by a migration that
reads a newer release of the package).
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

import chinese_calendar

from kaifaqu.workdays.choices import DayKind

# The package names the holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
SOURCE = "chinesecalendar 包(国务院办公厅节假日安排通知)"


def package_days() -> Iterator[tuple[date, str, str]]:
    """(date, kind, name) of every day that differs from the plain week, in the package's years.

    A holiday falling on a weekend is not listed: the plain week already rests on it.
    """
    for day, name in sorted(chinese_calendar.holidays.items()):
        if day.weekday() < 5:
            yield day, DayKind.HOLIDAY, HOLIDAY_NAMES.get(name, name)
    for day, name in sorted(chinese_calendar.workdays.items()):
        if day.weekday() >= 5:
            yield day, DayKind.WORKDAY, HOLIDAY_NAMES.get(name, name)


def package_years() -> list[int]:
    return sorted({day.year for day in chinese_calendar.holidays})


def seed(year_model: Any, special_model: Any) -> None:
    """Load the package's years that are not loaded yet (a year already there is left as kept)."""
    loaded = set(year_model.objects.values_list("year", flat=True))
    years = [year for year in package_years() if year not in loaded]
    year_model.objects.bulk_create([year_model(year=year, source=SOURCE) for year in years])
    special_model.objects.bulk_create(
        [
            special_model(date=day, kind=kind, name=name)
            for day, kind, name in package_days()
            if day.year in years
        ]
    )
