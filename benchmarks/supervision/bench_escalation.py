"""The nightly escalation job over 1,000,000 open supervised items on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres escalation_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/escalation_bench \\
        .venv/bin/python benchmarks/supervision/bench_escalation.py [--items N] [--repeats R]
    dropdb -h 127.0.0.1 -U postgres escalation_bench

Loads once (``_load.py``, reused while the database holds it) N items, all open (办理中 or 待签收),
opened over the 60 days before ``TODAY``, so that their deadlines (10 working days, 3% extended
by 10) lie from about seven weeks before ``TODAY`` to two weeks after it. Then, R times: the
items are reset to no escalation (light, level and board as loaded, the escalation log entries
deleted, the table vacuumed), and the ``supervision_escalation`` job runs on the night of
``TODAY`` (the first night: every overdue item is reached, most by both default rules) and on
the next night (only the items that became overdue by one or three working days). Prints each
night's median wall time of the job (``run_job``) and what the rules reached.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
sys.path.insert(0, str(Path(__file__).parent))


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    django.setup()
    import _load
    from django.core.management import call_command

    from kaifaqu.supervision.models import SupervisedItem

    call_command("migrate", verbosity=0)
    _load.geography()
    items = SupervisedItem.objects.filter(province_code=_load.PROVINCE)
    if items.count() != args.items:
        items.delete()
        seconds = _load.load_items(args.items, days=60, open_only=True)
        print(f"load {args.items:,} open items: {seconds:.1f} s", file=sys.stderr)
    user = _load.supervisor()
    nights: dict[str, list[float]] = {"first": [], "next": []}
    reached: dict[str, Any] = {}
    for _ in range(args.repeats):
        reset()
        for name, day in (("first", _load.TODAY), ("next", _load.TODAY + timedelta(days=1))):
            seconds, reached[name] = night(day, user)
            nights[name].append(seconds)
            print(f"{name} night: {seconds:.1f} s {reached[name]}", flush=True)
    open_items = items.exclude(state="done").count()
    print(f"{open_items:,} open items; medians of {args.repeats} (each run: {nights})")
    print("| night | reached by the rules | job median |")
    print("|---|---|---|")
    for name, times in nights.items():
        print(f"| {name} | {reached[name]} | {statistics.median(times):.1f} s |")
    return 0


def reset() -> None:
    """Every item as loaded: no light, no board, its level as loaded, no escalation entries."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_levels AS"
            " SELECT id, level FROM supervision_superviseditem WHERE escalation_days = 0"
        )
        cursor.execute(
            "UPDATE supervision_superviseditem s SET level = b.level, light = 'green',"
            " escalation_days = 0, escalated_at = NULL, on_board = false"
            " FROM bench_levels b WHERE b.id = s.id AND s.escalation_days > 0"
        )
        cursor.execute("DELETE FROM supervision_logentry WHERE kind = 'escalated'")
        cursor.execute("VACUUM ANALYZE supervision_superviseditem")
        cursor.execute("VACUUM ANALYZE supervision_logentry")


def night(day: Any, user: Any) -> tuple[float, Any]:
    """The escalation job at 01:00 Beijing time of ``day``: its wall time and its result."""
    import time_machine

    from kaifaqu.jobs.actions import create_job, run_job

    at = datetime(day.year, day.month, day.day, 1, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(at, tick=True):
        job, _ = create_job("supervision_escalation", {}, acting_user=user)
        started = time.perf_counter()
        job = run_job(job)
        seconds = time.perf_counter() - started
    assert job.state == "succeeded", job.error
    return seconds, job.result


if __name__ == "__main__":
    sys.exit(main())
