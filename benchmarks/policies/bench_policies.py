"""Policy tasks at province scale on PostgreSQL: confirming documents' tasks into RW items, and
the 督查 page over a province with many documents and tasks.

    createdb -h 127.0.0.1 -U postgres policy_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/policy_bench \\
        .venv/bin/python benchmarks/policies/bench_policies.py [--documents 1000] [--tasks 20]
    dropdb -h 127.0.0.1 -U postgres policy_bench

The province is the supervision benchmarks' (``benchmarks/supervision/_load.py``: 10 cities, 100
zones, 160 units). Loaded once per database (``bulk_create``): D province documents of T
confirmed tasks each, every task on its RW item led by one of the 160 units (a fifth with a
supporting unit): 40% with a deadline between 2025-06 and 2027-06, 30% reported quarterly, 30%
standing; a quarter of the items done (a fifth of those after their deadline); the quarterly
tasks have a report per quarter from their opening in 2025 to ``TODAY``, 85% of the past ones
filed; the tables are analysed. Then, as the province's 督办 office (a province analyst) on
``TODAY``:

1. confirming: R new documents of 20 proposals each (units named as the registry names them,
   a deadline each, every fifth with a supporting unit) confirmed at once through
   ``policies.actions.confirm_all`` (the RW items created, dispatched, given their tasks as
   subjects, audited, set-wise) against one proposal at a time through ``confirm``; the median
   per document of each;
2. the 督查 page (``policies:inspection``) through Django's test client, and its queries alone
   (the count, the counts per document and unit, the first page of rows), against the 督查 read
   task by task in Python (every task with its item, units and reports, each status and latest
   report decided in turn and counted): median of R after a warm-up, the totals asserted equal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
sys.path.insert(0, str(Path(__file__).parents[1] / "supervision"))

TODAY = date(2026, 12, 1)
# The pages render without a collected manifest (no collectstatic for a benchmark).
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"
NOON = datetime(2026, 12, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    django.setup()
    import _load
    import time_machine
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    from kaifaqu.policies.models import PolicyTask

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    override_settings(STORAGES=storages).enable()
    call_command("migrate", verbosity=0)
    _load.geography()
    user = _load.supervisor()
    wanted = args.documents * args.tasks
    if PolicyTask.objects.filter(province_code=_load.PROVINCE).count() < wanted:
        start = time.perf_counter()
        load(args.documents, args.tasks)
        print(f"load {wanted:,} tasks: {time.perf_counter() - start:.1f} s", flush=True)
    analyse()
    with time_machine.travel(NOON, tick=False):
        confirming(user, args.repeats)
        inspection(user, args.repeats)
    return 0


def analyse() -> None:
    """Fresh planner statistics, as autovacuum keeps them: just after a bulk load the planner
    guessed too few rows and a cost above the JIT threshold (4.8 s instead of 0.1 s)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "policies_policytask",
            "policies_progressreport",
            "supervision_superviseditem",
        ):
            cursor.execute(f"ANALYZE {table}")


def timed(work: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """The median wall time of ``work`` over ``repeats`` runs after a warm-up, and its result."""
    result = work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def load(documents: int, tasks_each: int) -> None:
    """The province's documents, confirmed tasks, items and reports, in bulk."""
    import random

    import _load
    from django.db import transaction

    from kaifaqu.policies.models import (
        PolicyDocument,
        PolicyTask,
        ProgressReport,
        ProposedTask,
    )
    from kaifaqu.policies.periods import periods
    from kaifaqu.supervision.models import ItemKind, SupervisedItem
    from kaifaqu.units.models import Unit

    rng = random.Random(20261203)
    province = _load.province()
    code = _load.PROVINCE
    units = list(Unit.objects.filter(province_code=code).order_by("pk"))
    kind = ItemKind.objects.get(code="RW")
    first = SupervisedItem._base_manager.filter(kind=kind, year=2025).count() + 1
    with transaction.atomic():
        docs = PolicyDocument.objects.bulk_create(
            PolicyDocument(
                title=f"基准政策文件{n + 1}", doc_number=f"基准发〔2025〕{n + 1}号",
                issued=date(2025, 1, 1) + timedelta(days=n % 300), text="(基准)",
                region=province, province_code=code,
            )
            for n in range(documents)
        )  # fmt: skip
        drawn = []
        for doc in docs:
            for position in range(tasks_each):
                unit, roll = rng.choice(units), rng.random()
                opened = (doc.issued or TODAY) + timedelta(days=rng.randrange(30))
                deadline = (
                    date(2025, 6, 1) + timedelta(days=rng.randrange(730)) if roll < 0.4 else None
                )
                recurrence = "quarterly" if 0.4 <= roll < 0.7 else ""
                closed: date | None = None
                if rng.random() < 0.25:  # done: a fifth of those with a deadline after it
                    if deadline is not None and rng.random() < 0.2:
                        closed = deadline + timedelta(days=10)
                    else:
                        closed = opened + timedelta(days=rng.randrange(1, 400))
                    closed = min(closed, TODAY - timedelta(days=1))
                drawn.append((doc, position, unit, opened, deadline, recurrence, closed))
        proposals = ProposedTask.objects.bulk_create(
            ProposedTask(
                document=doc, position=position, path=f"{position + 1}", heading=f"措施{position}",
                start=0, end=1, state="confirmed", lead=[{"name": unit.name}],
                deadline_kind="date" if deadline else ("recurring" if recurrence else "standing"),
                due=deadline, recurrence=recurrence, province_code=code,
            )
            for doc, position, unit, opened, deadline, recurrence, closed in drawn
        )  # fmt: skip
        items = SupervisedItem.objects.bulk_create(
            SupervisedItem(
                number=f"RW-2025-{first + i:06d}", kind=kind, year=2025, sequence=first + i,
                title=f"措施{position}", region=unit.region, zone=unit.zone, level=3,
                lead_unit=unit, state="done" if closed else "in_progress", opened=opened,
                deadline=deadline, closed=closed, province_code=code,
            )
            for i, (doc, position, unit, opened, deadline, recurrence, closed) in enumerate(drawn)
        )  # fmt: skip
        support = SupervisedItem.supporting_units.through
        support.objects.bulk_create(
            support(superviseditem_id=item.pk, unit_id=rng.choice(units).pk)
            for item in items
            if rng.random() < 0.2
        )
        tasks = PolicyTask.objects.bulk_create(
            PolicyTask(
                proposal=proposal, document=row[0], item=item, lead_unit=row[2],
                recurrence=row[5], province_code=code,
            )
            for proposal, item, row in zip(proposals, items, drawn, strict=True)
        )  # fmt: skip
        reports = []
        for task, row in zip(tasks, drawn, strict=True):
            if not row[5]:
                continue
            for period in periods(row[5], row[3], TODAY):
                filed = period.end < TODAY and rng.random() < 0.85
                reports.append(
                    ProgressReport(
                        task=task, period=period.label, due=period.end, province_code=code,
                        text="按计划推进" if filed else "",
                        submitted=NOON - timedelta(days=(TODAY - period.end).days)
                        if filed else None,
                    )
                )  # fmt: skip
        ProgressReport.objects.bulk_create(reports, batch_size=5000)
    print(f"{len(tasks):,} tasks, {len(reports):,} reports", flush=True)


def confirming(user: Any, repeats: int) -> None:
    """R new documents of 20 proposals each, confirmed at once (``confirm_all``) and, as a
    clerk would on the review screen, one proposal at a time through ``confirm``."""
    import _load

    from kaifaqu.policies import actions
    from kaifaqu.policies.models import PolicyDocument, ProposedTask
    from kaifaqu.units.models import Unit

    bureaus = list(Unit.objects.filter(province_code=_load.PROVINCE, zone=None).order_by("pk")[:20])

    def one_document() -> list[ProposedTask]:
        document = PolicyDocument.objects.create(
            title="基准确认文件", text="(基准)", region=_load.province(),
            issued=date(2026, 11, 1),
        )  # fmt: skip
        return ProposedTask.objects.bulk_create(
            ProposedTask(
                document=document, position=n, path=f"{n + 1}", heading=f"措施{n}", start=0,
                end=1, lead=[{"name": unit.name}],
                support=[{"name": bureaus[n - 1].name}] if n % 5 == 0 else [],
                deadline_kind="date", due=date(2027, 6, 30),
                province_code=document.province_code,
            )
            for n, unit in enumerate(bureaus)
        )  # fmt: skip

    def at_once() -> int:
        return len(actions.confirm_all(one_document(), acting_user=user, today=TODAY))

    def one_at_a_time() -> int:
        proposals = one_document()
        return sum(len(actions.confirm(p, acting_user=user, today=TODAY)) for p in proposals)

    set_seconds, items = timed(at_once, repeats)
    row_seconds, row_items = timed(one_at_a_time, repeats)
    assert items == row_items == len(bureaus), (items, row_items)
    print(f"confirm a document of {len(bureaus)} proposals ({items} RW items)")
    print("| measure | at once (`confirm_all`) | one at a time (`confirm`) | ratio |")
    print("|---|---|---|---|")
    print(
        f"| confirming a document | {set_seconds * 1000:.0f} ms "
        f"({set_seconds / items * 1000:.1f} ms per task) | {row_seconds * 1000:.0f} ms "
        f"({row_seconds / items * 1000:.1f} ms per task) | {row_seconds / set_seconds:.1f}× |",
        flush=True,
    )


def inspection(user: Any, repeats: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from kaifaqu.policies.inspection import tally, with_status
    from kaifaqu.policies.views import InspectionView

    client = Client()
    client.force_login(user)
    url = reverse("policies:inspection")

    def page() -> int:
        response = client.get(url, secure=True)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def queries() -> tuple[int, Counter[str]]:
        tasks = with_status(InspectionView.queryset.restrict(user), TODAY)
        count = tasks.count()
        list(tasks.order_by("pk")[:50])
        return count, tally(tasks).totals

    page_seconds, _ = timed(page, repeats)
    set_seconds, (count, totals) = timed(queries, repeats)
    row_seconds, row_totals = timed(lambda: per_row(user, TODAY), repeats)
    assert totals == row_totals, (totals, row_totals)
    print(f"{count:,} tasks in scope; totals {dict(totals)}")
    print("| measure | median | per row in Python | ratio |")
    print("|---|---|---|---|")
    print(f"| 督查 page, `policies:inspection` | {page_seconds * 1000:.0f} ms | | |")
    print(
        f"| its queries alone (count, counts per document and unit, first page) "
        f"| {set_seconds * 1000:.0f} ms | {row_seconds * 1000:.0f} ms "
        f"| {row_seconds / set_seconds:.1f}× |"
    )


def per_row(user: Any, today: date) -> Counter[str]:
    """The straightforward 督查: every task in scope read with its item, units and reports, its
    status and latest report decided one task at a time, the counts kept per document and unit
    (what the 督查 did before it was computed in SQL)."""
    from django.db.models import Prefetch

    from kaifaqu.policies.models import PolicyTask, ProgressReport

    tasks = (
        PolicyTask.objects.restrict(user)
        .select_related("item", "lead_unit", "document", "proposal")
        .prefetch_related(
            "item__supporting_units",
            Prefetch("reports", queryset=ProgressReport.objects.order_by("due", "pk")),
        )
    )
    totals: Counter[str] = Counter()
    documents: dict[int, Counter[str]] = {}
    units: dict[int, Counter[str]] = {}
    for task in tasks.order_by("pk"):
        item, reports = task.item, list(task.reports.all())
        if item.state == "done":
            late = (
                item.deadline is not None
                and item.closed is not None
                and (item.closed > item.deadline)
            )
            status = "late" if late else "complete"
        elif (item.deadline is not None and item.deadline < today) or any(
            r.submitted is None and r.due is not None and r.due < today for r in reports
        ):
            status = "overdue"
        else:
            status = "on_track"
        filed = [r for r in reports if r.submitted is not None]
        max(filed, key=lambda r: (r.submitted, r.pk), default=None)
        totals[status] += 1
        documents.setdefault(task.document_id, Counter())[status] += 1
        units.setdefault(task.lead_unit_id, Counter())[status] += 1
    return totals


if __name__ == "__main__":
    raise SystemExit(main())
