"""招商 at national scale on PostgreSQL: 200,000 projects with 1,500,000 stage transitions.

    createdb -h 127.0.0.1 -U postgres investment_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/investment_bench \
        .venv/bin/python benchmarks/investment/bench_investment.py [--projects 200000] [--keep]
    dropdb -h 127.0.0.1 -U postgres investment_bench

Generates the data set-wise (NumPy arrays, COPY): 4 provinces of 25 zones each; every project
has 7 or 8 history entries (its main-line transitions up to the stage it reached, then pauses
and resumptions; 4% end terminated), planned starts around the as-of date for the signed, 1% of
the started not yet 入库纳统, yearly plans for 40% of the started. Then:

1. a province's KPI dashboard (every figure the page computes: the KPI table against targets,
   the table per zone, the funnel, five years of trend, days in stage), median of 5 after a
   warm-up, checked equal to a per-project Python computation of the same figures in the same
   run, whose time is printed beside it (the ratio);
2. the nightly lights job over every open project: the first night (every light new, the red
   ones prompted and given a blocking problem) and the next night (the steady state).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
AS_OF = date(2026, 12, 3)
PROVINCES, ZONES_PER_PROVINCE = 4, 25
MAIN = ["lead", "reserve", "negotiating", "signed", "registered", "started", "producing",
        "operating"]  # fmt: skip
# How far along the main line projects got (1: 储备 … 7: 达产/运营).
REACHED = [0.24, 0.18, 0.14, 0.1, 0.14, 0.12, 0.08]
EPOCH = date(1970, 1, 1)


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="reuse loaded data if present")
    args = parser.parse_args()
    django.setup()
    from django.core.management import call_command

    from kaifaqu.investment.models import Project

    call_command("migrate", verbosity=0)
    if not (args.keep and Project.objects.exists()):
        start = time.perf_counter()
        load(args.projects)
        print(f"load: {time.perf_counter() - start:.1f} s")
    dashboard()
    lights()
    return 0


def _copy(table: str, frame: pl.DataFrame) -> None:
    from django.db import connection

    buffer = io.StringIO()
    frame.write_csv(buffer, separator="\t", null_value="\\N", include_header=False)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(frame.columns)}) FROM STDIN") as copy,
    ):
        copy.write(buffer.getvalue())


def _days(values: np.ndarray) -> pl.Series:
    return pl.Series(values.astype("datetime64[D]")).cast(pl.Date)


def load(n: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from kaifaqu.catalog.models import Region
    from kaifaqu.investment.models import Project
    from kaifaqu.zones.models import Zone

    rng = np.random.default_rng(20261203)
    with transaction.atomic():
        zone_ids, zone_provinces = [], []
        for p in range(PROVINCES):
            code = f"9{p + 1}0000"
            province, _ = Region.objects.get_or_create(
                code=code, defaults={"name": f"基准省{p + 1}", "level": "province"}
            )
            for z in range(ZONES_PER_PROVINCE):
                kind = "national_etdz" if z < 5 else "provincial_edz"
                zone, _ = Zone.objects.get_or_create(
                    code=f"BI{p}{z:02d}",
                    defaults={"name": f"基准开发区{p}-{z}", "kind": kind, "region": province},
                )
                zone_ids.append(zone.pk)
                zone_provinces.append(code)
        first = (Project.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        ids = np.arange(first, first + n)
        # 7 entries each, 8 for the first ones: 1,500,000 for 200,000 projects.
        entries = np.where(np.arange(n) < max(0, round(7.5 * n) - 7 * n), 8, 7)
        reached = rng.choice(np.arange(1, 8), size=n, p=REACHED)
        rest = entries - reached
        reached = np.where((reached == 7) & (rest % 2 == 1), 6, reached)  # 运营 is not paused
        rest = entries - reached
        terminated = (np.arange(n) % 25 == 0) & (rest > 0)
        # One row per entry: which project, its place in the history.
        project = np.repeat(np.arange(n), entries)
        offset = np.concatenate([[0], np.cumsum(entries)[:-1]])
        seq = np.arange(len(project)) - np.repeat(offset, entries)
        main = np.array(MAIN)
        r = reached[project]
        after = seq - r  # ≥ 0: the pauses and resumptions after the main line
        to_stage = np.where(
            seq < r, main[np.minimum(seq + 1, 7)], np.where(after % 2 == 0, "paused", main[r])
        )
        last = seq == entries[project] - 1
        to_stage = np.where(last & terminated[project], "terminated", to_stage)
        from_stage = np.concatenate([["lead"], to_stage[:-1]])
        from_stage = np.where(seq == 0, "lead", from_stage)
        start = np.datetime64("2021-01-01") + rng.integers(0, 2100, size=n)
        gaps = rng.integers(5, 120, size=len(project))
        gaps[seq == 0] = 0
        occurred = (
            np.repeat(start, entries)
            + np.cumsum(gaps)
            - np.repeat(np.cumsum(gaps)[offset], entries)
        )
        occurred = np.minimum(occurred, np.datetime64(AS_OF - timedelta(days=2)))
        zone_of = rng.integers(0, len(zone_ids), size=n)
        provinces = np.array(zone_provinces)[zone_of]
        stage = to_stage[last]
        entered = occurred[last]
        # Dates the lights read.
        signed_mask = reached >= 3
        started_mask = reached >= 5
        planned_start = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        waiting = signed_mask & ~started_mask
        planned_start[waiting] = np.datetime64(AS_OF) + rng.integers(-120, 300, waiting.sum())
        started_on = occurred[(seq == 5 - 1) & (r >= 5)]
        statistics = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
        keep = rng.random(started_mask.sum()) > 0.01
        statistics[np.flatnonzero(started_mask)[keep]] = started_on[keep] + 20
        now = timezone.now().isoformat()
        amount = np.round(np.exp(rng.normal(9.5, 1.4, n)), 2)
        _copy(
            "investment_project",
            pl.DataFrame(
                {
                    "id": ids,
                    "code": [f"BJ{i}" for i in ids],
                    "name": [f"基准项目{i}" for i in ids],
                    "investor": "",
                    "zone_id": np.array(zone_ids)[zone_of],
                    "leading_industry": np.arange(n) % 3 != 0,
                    "ppp": False,
                    "total_investment": amount,
                    "stage": stage,
                    "stage_entered": _days(entered),
                    "planned_start_date": _days(planned_start),
                    "statistics_date": _days(statistics),
                    "plot": "",
                    "created": now,
                    "province_code": provinces,
                }
            ),
        )
        _copy(
            "investment_stagechange",
            pl.DataFrame(
                {
                    "project_id": ids[project],
                    "kind": "transition",
                    "from_stage": from_stage,
                    "to_stage": to_stage,
                    "occurred_on": _days(occurred),
                    "recorded_at": now,
                    "evidence": "{}",
                    "province_code": provinces[project],
                }
            ),
        )
        open_started = np.flatnonzero(
            started_mask & (stage != "operating") & (stage != "terminated")
        )
        planned = open_started[rng.random(len(open_started)) < 0.4]
        plan = np.round(amount[planned] * 0.3, 2)
        lag = rng.normal(0, 8, len(planned))
        elapsed = 100 * ((AS_OF - date(AS_OF.year, 1, 1)).days + 1) / 365
        done = np.clip(plan * (elapsed - lag) / 100, 0, None).round(2)
        _copy(
            "investment_annualplan",
            pl.DataFrame(
                {
                    "project_id": ids[planned],
                    "year": AS_OF.year,
                    "planned_investment": plan,
                    "completed_investment": done,
                    "province_code": provinces[planned],
                }
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('investment_project', 'id'), "
                "(SELECT max(id) FROM investment_project))"
            )
    # As autovacuum leaves a table some time after a bulk insert: statistics, and the
    # visibility map that lets a province's stage dates be read from the index alone.
    with connection.cursor() as cursor:
        for table in ("investment_project", "investment_stagechange", "investment_annualplan"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"projects {n:,}, stage transitions {len(project):,}, plans {len(planned):,}")


# -- the dashboard, set-wise and per project ----------------------------------------------


def _dashboard(projects: Any, period: Any) -> dict[str, Any]:
    from kaifaqu.investment import kpi_report, kpis

    data = kpis.compute(projects, period)
    return {
        "total": kpi_report.groups(data, period, None),
        "zones": kpi_report.groups(data, period, "zone"),
        "funnel": kpi_report.funnel(data),
        "trend": kpi_report.trend(data, period),
        "stages": kpi_report.stages(data),
        "row": kpis.table(data, period, None).row(0, named=True),
    }


def per_project(projects: Any, period: Any) -> dict[str, int]:
    """The same counts, one project at a time in Python."""
    from kaifaqu.investment.kpis import effective_changes
    from kaifaqu.investment.models import StageSetting

    first: dict[int, dict[str, date]] = {}
    changes = effective_changes().filter(project__in=projects.values("pk"))
    for project_id, to_stage, on in changes.values_list("project_id", "to_stage", "occurred_on"):
        seen = first.setdefault(project_id, {})
        if to_stage not in seen or on < seen[to_stage]:
            seen[to_stage] = on
    expected = dict(StageSetting.objects.values_list("stage", "expected_days"))
    start, end, as_of = period.start, period.end, period.as_of
    counts = dict.fromkeys(
        ["period:num", "period:den", "cohort:num", "cohort:den", "leading:num", "same_year:num",
         "signed_in", "start:num", "start:den", "production:num", "production:den",
         "over_100m", "over_5bn", "stalled", "open"],
        0,
    )  # fmt: skip
    rows = projects.values_list(
        "pk", "leading_industry", "total_investment", "stage", "stage_entered"
    )
    for pk, leading, amount, stage, entered in rows:
        seen = first.get(pk, {})
        reserve, signed = seen.get("reserve"), seen.get("signed")
        started, producing = seen.get("started"), seen.get("producing")
        exit_ = min((d for d in (signed, seen.get("terminated")) if d), default=None)
        in_pool = reserve is not None and reserve <= end and (exit_ is None or exit_ >= start)
        signed_in = signed is not None and start <= signed <= end
        counts["period:den"] += in_pool
        counts["period:num"] += in_pool and signed_in
        cohort = reserve is not None and start <= reserve <= end
        counts["cohort:den"] += cohort
        counts["cohort:num"] += cohort and signed is not None and signed <= as_of
        counts["signed_in"] += signed_in
        counts["leading:num"] += signed_in and leading
        counts["same_year:num"] += signed_in and started is not None and start <= started <= end
        signed_by = signed is not None and signed <= end
        started_by = started is not None and started <= end
        counts["start:den"] += signed_by
        counts["start:num"] += signed_by and started_by
        counts["production:den"] += started_by
        counts["production:num"] += started_by and producing is not None and producing <= end
        value = amount or 0
        counts["over_100m"] += signed_in and value >= 10_000
        counts["over_5bn"] += signed_in and value >= 500_000
        is_open = stage not in ("operating", "terminated")
        counts["open"] += is_open
        limit = expected.get(stage)
        counts["stalled"] += is_open and limit is not None and (as_of - entered).days > limit
    return counts


def _set_wise_counts(row: dict[str, Any]) -> dict[str, int]:
    return {
        "period:num": row["sign_conversion_period:num"],
        "period:den": row["sign_conversion_period:den"],
        "cohort:num": row["sign_conversion_cohort:num"],
        "cohort:den": row["sign_conversion_cohort:den"],
        "leading:num": row["leading_share:num"],
        "same_year:num": row["same_year_start:num"],
        "signed_in": row["leading_share:den"],
        "start:num": row["start_rate:num"],
        "start:den": row["start_rate:den"],
        "production:num": row["production_rate:num"],
        "production:den": row["production_rate:den"],
        "over_100m": row["over_100m:count"],
        "over_5bn": row["over_5bn:count"],
        "stalled": row["stalled:count"],
        "open": row["open:count"],
    }


def _timed(function: Any, runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def dashboard() -> None:
    from kaifaqu.investment import kpis
    from kaifaqu.investment.models import Project

    code = Project.objects.values_list("province_code", flat=True).order_by("province_code")[:1][0]
    projects = Project.objects.filter(province_code=code)
    period = kpis.Period.year(2025, AS_OF)
    print(f"province {code}: {projects.count():,} projects")
    _dashboard(projects, period)  # warm-up
    times, result = _timed(lambda: _dashboard(projects, period), 5)
    python_times, counts = _timed(lambda: per_project(projects, period), 2)
    set_wise = _set_wise_counts(result["row"])
    assert set_wise == counts, (set_wise, counts)
    median, python = statistics.median(times), statistics.median(python_times)
    print(f"dashboard set-wise: median {median:.3f} s, best {min(times):.3f} s (target < 1 s)")
    print(f"per-project Python: median {python:.3f} s; ratio {python / median:.1f}×; equal: yes")
    print("  " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


def lights() -> None:
    from django.contrib.auth import get_user_model

    from kaifaqu.investment.light_actions import refresh_lights

    system = get_user_model().objects.get(username="system")
    for night in (AS_OF, AS_OF + timedelta(days=1)):
        start = time.perf_counter()
        counts = refresh_lights(as_of=night, acting_user=system)
        print(f"lights {night}: {time.perf_counter() - start:.2f} s (target < 30 s) {counts}")


if __name__ == "__main__":
    raise SystemExit(main())
