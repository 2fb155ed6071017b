"""The results list of a 1,000,000-result 亩均 run on PostgreSQL: page 1 against page 5,000
reached by its cursor (keyset), with an OFFSET read of page 5,000 beside them for contrast.

    createdb -h 127.0.0.1 -U postgres lists_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lists_bench \\
        .venv/bin/python benchmarks/mujun/bench_results_list.py [--results N] [--page P]
    dropdb -h 127.0.0.1 -U postgres lists_bench

Loads (once; reused while the database stays) a province with 100 zones, N enterprises and one
published run holding a result for each, by ``INSERT … SELECT generate_series``. Then, as a
superuser through Django's test client in production settings, requests the run page
(``mujun:run``, its results list in pk order, 50 a page) at page 1 and at page 5,000 through the
link the list itself gives (``?page=5000&after=<cursor>``; the cursor is the pk of the last row of
page 4,999, read once beforehand). Each URL: one warm-up request, then the median of REPEATS
requests' wall time; the queries of one more request counted (``connection.execute_wrapper``). The
rows query alone is timed the same way for the keyset pages and for ``OFFSET 249950 LIMIT 51``,
and so is the exact count every page of the list makes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
ZONES = 100
PLAIN_STATIC = "django.contrib.staticfiles.storage.StaticFilesStorage"


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--results", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--page", type=int, default=5_000)
    args = parser.parse_args()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    # Pages render without collected static files: plain storage instead of the manifest.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": PLAIN_STATIC}}
    override_settings(STORAGES=storages).enable()
    admin = superuser()
    run = load(args.results, admin)
    measure(run, admin, args.page, args.repeats)
    return 0


def superuser() -> Any:
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    admin = user_model.objects.filter(username="lists_bench").first()
    return admin or user_model.objects.create_superuser("lists_bench", password=None)


def load(n: int, admin: Any) -> Any:
    from django.db import connection, transaction

    from kaifaqu.catalog.models import Region
    from kaifaqu.mujun.models import EvaluationRun, Scheme
    from kaifaqu.mujun.scheme import preset_text
    from kaifaqu.zones.models import Zone

    existing = EvaluationRun.objects.filter(region__code="970000").first()
    if existing is not None and existing.results.count() == n:
        return existing
    started = time.perf_counter()
    with transaction.atomic():
        province, _ = Region.objects.get_or_create(
            code="970000", defaults={"name": "列表基准省", "level": "province"}
        )
        zones = [
            Zone.objects.get_or_create(
                code=f"L{i:03d}",
                defaults={"name": f"列表开发区{i}", "kind": "provincial_edz", "region": province},
            )[0].pk
            for i in range(ZONES)
        ]
        scheme = Scheme.objects.create(
            name="黄岩 2022",
            preset="huangyan_2022",
            document=preset_text("huangyan_2022"),
            region=province,
        )
        run = EvaluationRun.objects.create(
            scheme=scheme, year=2025, region=province, state="published", created_by=admin
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO enterprises_enterprise (uscc, name, zone_id, region_id, province_code,
                    registration_date, ownership, status, exempt_military, exempt_utility)
                SELECT 'L' || lpad(i::text, 17, '0'), '列表企业' || i, (%s::int[])[1 + i %% %s],
                    %s, '970000', DATE '2010-06-01', 'domestic', 'operating', false, false
                FROM generate_series(1, %s) AS i
                """,
                [zones, ZONES, province.pk, n],
            )
            cursor.execute(
                """
                INSERT INTO mujun_evaluationresult (run_id, enterprise_id, zone_id, province_code,
                    industry_code, pool, status, reason, "values", items, total, pool_rank, grade,
                    managed_grade, years_in_grade, warnings, explanation)
                SELECT %s, e.id, e.zone_id, '970000', '', '规上', 'graded', '', '{}', '{}',
                    round((random() * 100)::numeric, 2), 1 + (e.id %% 1000), 'B', '', 1, '[]', '{}'
                FROM enterprises_enterprise e WHERE e.province_code = '970000' ORDER BY e.id
                """,
                [run.pk],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise; ANALYZE mujun_evaluationresult")
    print(f"loaded {n:,} results in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return run


def count_queries(action: Callable[[], Any]) -> int:
    from django.db import connection

    executed: list[str] = []

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        action()
    return len(executed)


def timed(action: Callable[[], Any], repeats: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(run: Any, admin: Any, page: int, repeats: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from kaifaqu.core.pagination import PAGE_SIZE
    from kaifaqu.mujun.models import EvaluationResult

    client = Client()
    client.force_login(admin)
    url = reverse("mujun:run", args=[run.pk])
    results = EvaluationResult.objects.filter(run=run)
    skipped = (page - 1) * PAGE_SIZE
    cursor = results.order_by("pk").values_list("pk", flat=True)[skipped - 1]
    pages = {"page 1": url, f"page {page:,} (keyset)": f"{url}?page={page}&after={cursor}"}
    client.get(url, secure=True)  # the session's first request settles the second-factor check
    total = results.count()
    print(f"{total:,} results, {PAGE_SIZE} a page; medians of {repeats} after a warm-up")
    print("| request | queries | median |")
    print("|---|---|---|")
    for label, address in pages.items():
        response = client.get(address, secure=True)
        assert response.status_code == 200, response.status_code
        assert f"第 {label.split()[1]} 页" in response.content.decode(), label
        queries = count_queries(partial(client.get, address, secure=True))
        seconds = timed(partial(client.get, address, secure=True), repeats)
        print(f"| run page, {label} | {queries} | {seconds * 1000:.1f} ms |")
    ordered = results.select_related("enterprise", "zone").order_by("pk")
    reads: dict[str, Callable[[], object]] = {
        "page 1, keyset": lambda: list(ordered[: PAGE_SIZE + 1]),
        f"page {page:,}, keyset": lambda: list(ordered.filter(pk__gt=cursor)[: PAGE_SIZE + 1]),
        f"page {page:,}, OFFSET {skipped:,}": lambda: list(
            ordered[skipped : skipped + PAGE_SIZE + 1]
        ),
    }
    reads["exact count (every page: a run's results are a scoped list)"] = results.count
    print("| one query alone | | median |")
    for label, read in reads.items():
        print(f"| {label} | 1 | {timed(read, repeats) * 1000:.1f} ms |")


if __name__ == "__main__":
    sys.exit(main())
