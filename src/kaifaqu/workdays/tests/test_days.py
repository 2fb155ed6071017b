"""Working-day arithmetic on the real calendars the migration loads (chinesecalendar)."""

from datetime import date, timedelta

import pytest
from django.db.models import Value

from kaifaqu.workdays.choices import DayKind
from kaifaqu.workdays.days import (
    Deadline,
    add_working_days,
    deadline_after,
    official_between,
    ordinal_at,
    ordinal_of,
    overdue_cutoff,
    rebuild_days,
    working_days_between,
)
from kaifaqu.workdays.models import CalendarYear, Day, SpecialDay

pytestmark = pytest.mark.django_db


def test_national_day_2025_counts_the_adjusted_weekends_and_skips_the_holiday():
    # 国庆+中秋 2025: 10月1日至8日放假; 9月28日(周日)、10月11日(周六)上班.
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 28), 2) == date(2025, 9, 30)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 10, 9), 2) == date(2025, 10, 11)
    assert add_working_days(date(2025, 10, 11), 1) == date(2025, 10, 13)
    # 9/28, 9/29, 9/30, 10/9, 10/10, 10/11
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 11)) == 6
    assert working_days_between(date(2025, 10, 11), date(2025, 9, 26)) == -6
    assert working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_spring_festival_2026():
    # 春节 2026: 2月15日至23日放假; 2月14日(周六)、2月28日(周六)上班.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)
    # 2/13, 2/14, 2/24–2/28, 3/2, 3/3, 3/4
    assert add_working_days(date(2026, 2, 12), 10) == date(2026, 3, 4)
    # 2/14, 2/24, 2/25, 2/26, 2/27, 2/28
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert deadline_after(date(2026, 2, 13), 3).official is True


def test_a_year_not_loaded_counts_weekends_only_and_says_so():
    assert not CalendarYear.objects.filter(year=2030).exists()
    # 2030-09-30 is a Monday; 国庆 of 2030 is not published, so 10月1日 counts as a working day
    deadline = deadline_after(date(2030, 9, 30), 3)
    assert deadline.date == date(2030, 10, 3)
    assert deadline.official is False
    assert official_between(date(2026, 12, 31), date(2027, 1, 4)) is False


def test_beyond_the_table_the_same_rules_apply_in_python():
    last = Day.objects.order_by("-date").values_list("date", flat=True).first()
    assert last is not None
    far = date(last.year + 2, 1, 6)  # a weekday two years past the table
    assert ordinal_of(far) is None
    monday = far - timedelta(days=far.weekday())
    assert add_working_days(monday, 5) == monday + timedelta(days=7)
    assert working_days_between(monday, monday + timedelta(days=7)) == 5


def test_overdue_cutoff_matches_the_working_days_between():
    today = date(2025, 10, 13)  # Monday after 国庆
    for n in (1, 2, 3, 5):
        cutoff = overdue_cutoff(today, n)
        for offset in range(-40, 1):
            deadline = today + timedelta(days=offset)
            assert (deadline < cutoff) == (working_days_between(deadline, today) >= n)
    assert overdue_cutoff(today, 1) == today
    assert overdue_cutoff(today, 3) == date(2025, 10, 10)


def test_sql_ordinals_give_the_same_counts_in_one_query(django_assert_num_queries):
    start = date(2025, 9, 20)
    days = [date(2025, 9, 20) + timedelta(days=i) for i in range(30)]
    base = ordinal_of(start)
    with django_assert_num_queries(1):
        rows = list(
            Day.objects.filter(date__in=days)
            .annotate(between=ordinal_at("date") - Value(base))
            .values_list("date", "between")
        )
    assert {d: n for d, n in rows} == {d: working_days_between(start, d) for d in days}
    # 2025: 261 weekdays, 18 of them holidays, 5 调休 weekends worked
    assert Day.objects.filter(date__year=2025, working=True).count() == 248


def test_an_added_year_is_official_after_the_rebuild():
    CalendarYear.objects.create(year=2030, source="国办发明电〔2029〕1号")
    SpecialDay.objects.create(date=date(2030, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    rebuild_days()
    deadline = deadline_after(date(2030, 9, 30), 3)
    assert deadline == Deadline(date(2030, 10, 4), official=True)
