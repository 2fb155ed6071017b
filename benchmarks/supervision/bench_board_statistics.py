"""The 督办 board and the 动态清零 statistics of a province of 1,000,000 supervised items over five
years, on PostgreSQL: set-wise against a per-item Python computation in the same run.

    createdb -h 127.0.0.1 -U postgres supervision_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/supervision_bench \\
        .venv/bin/python benchmarks/supervision/bench_board_statistics.py [--items N] [--repeats R]
    dropdb -h 127.0.0.1 -U postgres supervision_bench

Loads the province once (``_load.py``; reused while the database holds it), then runs the
nightly escalation once on ``TODAY`` (printed: it puts the items overdue by 3 working days on
the board). As the province's 督办 office (a province analyst), on ``TODAY``:

- board: the board page (``supervision:board``) through Django's test client, and its queries
  alone (``board_summary`` of ``board_items`` and their count); the Python version reads every
  running item of the province and counts each one's working days overdue day by day on the
  calendar, then groups those 3 or more days overdue by lead unit and level;
- statistics: the twelve months before ``TODAY`` by zone and month (``clearing_by_month``) and by
  lead unit (``clearing_figures``); the Python version reads every item any figure may count and
  computes each figure, and each closed item's working days, item by item.

Each: one warm-up, then the median of R runs; the two results must agree (asserted).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
sys.path.insert(0, str(Path(__file__).parent))
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
BOARD_DAYS = 3  # the default rule that puts an item on the board


def main() -> int:
    import django
    import time_machine

    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    django.setup()
    import _load
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    override_settings(STORAGES=storages).enable()
    noon = datetime.combine(_load.TODAY, datetime.min.time().replace(hour=12))
    with time_machine.travel(noon.replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        prepare(args.items)
        user = _load.supervisor()
        board(user, args.repeats)
        clearing(user, args.repeats)
    return 0


def prepare(n: int) -> None:
    import _load
    from django.contrib.auth.models import AnonymousUser

    from kaifaqu.supervision.actions import escalate
    from kaifaqu.supervision.models import SupervisedItem

    _load.geography()
    items = SupervisedItem.objects.filter(province_code=_load.PROVINCE)
    if items.count() == n:
        return
    items.delete()
    print(f"load {n:,} items: {_load.load_items(n):.1f} s", file=sys.stderr)
    started = time.perf_counter()
    counts = escalate(acting_user=AnonymousUser(), today=_load.TODAY)
    print(f"escalation (first night): {time.perf_counter() - started:.1f} s {counts}")


def timed(action: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    result = action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def special_days() -> dict[date, bool]:
    """The calendar's special days (date → working), read once."""
    from kaifaqu.workdays.choices import DayKind
    from kaifaqu.workdays.models import SpecialDay

    rows = SpecialDay.objects.values_list("date", "kind")
    return {day: kind == DayKind.WORKDAY for day, kind in rows}


def working_days(a: date, b: date, special: dict[date, bool]) -> int:
    """Working days after ``a`` up to and including ``b``, counted day by day (b ≥ a)."""
    count, day = 0, a
    while day < b:
        day += timedelta(days=1)
        count += special.get(day, day.weekday() < 5)
    return count


def board(user: Any, repeats: int) -> None:
    import _load
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kaifaqu.supervision.board import board_items, board_summary, supervisor_level
    from kaifaqu.supervision.choices import RUNNING_STATES
    from kaifaqu.supervision.models import SupervisedItem

    client = Client()
    client.force_login(user)
    url = reverse("supervision:board")

    def page() -> int:
        response = client.get(url, secure=True)
        assert response.status_code == 200
        return len(response.content)

    def setwise() -> tuple[int, list[dict[str, Any]]]:
        items = board_items(user)
        return items.count(), board_summary(items)

    level = supervisor_level(user)
    assert level is not None

    def per_item() -> tuple[int, list[dict[str, Any]]]:
        special = special_days()
        rows = SupervisedItem.objects.restrict(user).filter(
            state__in=RUNNING_STATES, deadline__lt=_load.TODAY
        )
        groups: dict[Any, dict[str, Any]] = {}
        total = 0
        for unit, name, item_level, deadline in rows.values_list(
            "lead_unit", "lead_unit__name", "level", "deadline"
        ).iterator(chunk_size=10_000):
            if item_level > level or working_days(deadline, _load.TODAY, special) < BOARD_DAYS:
                continue
            total += 1
            group = groups.setdefault(
                unit,
                {
                    "unit": name or "(待派单)",
                    "unit_id": unit,
                    "total": 0,
                    "earliest": deadline,
                    "levels": [0, 0, 0],
                },
            )
            group["total"] += 1
            group["levels"][item_level - 1] += 1
            group["earliest"] = min(group["earliest"], deadline)
        return total, sorted(groups.values(), key=lambda g: (-g["total"], g["unit"]))

    page_time, size = timed(page, repeats)
    with CaptureQueriesContext(connection) as queries:
        page()
    sql_time, (count, summary) = timed(setwise, repeats)
    python_time, (python_count, python_summary) = timed(per_item, repeats)
    assert (count, summary) == (python_count, python_summary), "board: set-wise ≠ per item"
    print(f"board of the province: {count:,} items on the board, {len(summary)} units")
    print("| measure | median |")
    print("|---|---|")
    print(
        f"| board page (`supervision:board`, {len(queries)} queries, {size:,} bytes)"
        f" | {page_time * 1000:,.0f} ms |"
    )
    print(f"| board queries alone (summary + count), set-wise | {sql_time * 1000:,.0f} ms |")
    print(f"| same, per item in Python | {python_time * 1000:,.0f} ms |")
    print(f"| ratio per item ÷ set-wise | {python_time / sql_time:.1f} |")


def clearing(user: Any, repeats: int) -> None:
    import _load

    from kaifaqu.supervision.models import SupervisedItem
    from kaifaqu.supervision.statistics import FIGURES, clearing_by_month, clearing_figures

    end = _load.TODAY - timedelta(days=1)
    start = date(end.year - 1, end.month + 1, 1) if end.month < 12 else date(end.year, 1, 1)
    items = SupervisedItem.objects.restrict(user)

    def figures(rows: list[Any]) -> dict[Any, tuple[Any, ...]]:
        return {f.key: (*(getattr(f, n) for n in FIGURES), f.median_working_days) for f in rows}

    def by_zone_and_month() -> dict[Any, tuple[Any, ...]]:
        return figures(clearing_by_month(items, start=start, end=end, by=("zone",)))

    def by_unit() -> dict[Any, tuple[Any, ...]]:
        return figures(clearing_figures(items, start=start, end=end, by=("lead_unit",)))

    month_starts = []
    first = start
    while first <= end:
        month_starts.append(first)
        first = (first + timedelta(days=32)).replace(day=1)
    periods = [
        (m, m, min((m + timedelta(days=32)).replace(day=1) - timedelta(days=1), end))
        for m in month_starts
    ]

    def per_item() -> tuple[dict[Any, tuple[Any, ...]], dict[Any, tuple[Any, ...]]]:
        special = special_days()
        counts: dict[Any, list[int]] = defaultdict(lambda: [0] * 5)
        spans: dict[Any, list[int]] = defaultdict(list)
        zones, units = set(), set()
        rows = items.values_list("zone", "lead_unit", "opened", "closed", "deadline")
        for zone, unit, opened, closed, deadline in rows.iterator(chunk_size=10_000):
            if opened > end or (closed is not None and closed < start):
                continue
            zones.add(zone)
            units.add(unit)
            days = working_days(opened, closed, special) if closed else None
            for group, p_start, p_end in [
                *(((zone, m), a, b) for m, a, b in periods),
                ((unit,), start, end),
            ]:
                figures = counts[group]
                received = p_start <= opened <= p_end
                closed_in = closed is not None and p_start <= closed <= p_end
                figures[0] += received
                figures[1] += closed_in
                figures[2] += closed_in and (deadline is None or closed <= deadline)
                figures[3] += (
                    deadline is not None and deadline < p_end and (closed is None or closed > p_end)
                )
                figures[4] += received and closed is not None and closed <= p_end
                if closed_in:
                    spans[group].append(days)  # type: ignore[arg-type]

        def row(group: Any) -> tuple[Any, ...]:
            values = spans.get(group)
            return (*counts[group], float(statistics.median(values)) if values else None)

        return (
            {(zone, m): row((zone, m)) for zone in zones for m in month_starts},
            {(unit,): row((unit,)) for unit in units},
        )

    months_time, months = timed(by_zone_and_month, repeats)
    units_time, units = timed(by_unit, repeats)
    python_time, (python_months, python_units) = timed(per_item, repeats)
    assert months == python_months, "statistics by zone and month: set-wise ≠ per item"
    assert units == python_units, "statistics by unit: set-wise ≠ per item"
    received = sum(v[0] for v in units.values())
    print(
        f"清零 statistics {start}–{end}: {received:,} received,"
        f" {len(months)} zone-months, {len(units)} units"
    )
    sql_time = months_time + units_time
    print(f"| statistics by zone × month (`clearing_by_month`) | {months_time * 1000:,.0f} ms |")
    print(f"| statistics by lead unit (`clearing_figures`) | {units_time * 1000:,.0f} ms |")
    print(f"| both, per item in Python (one pass) | {python_time * 1000:,.0f} ms |")
    print(f"| ratio per item ÷ set-wise (both) | {python_time / sql_time:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
