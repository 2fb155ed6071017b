"""1,000,000 enterprises evaluated end to end on PostgreSQL: extract, engine, write-back.

    createdb -h 127.0.0.1 -U postgres mujun_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mujun_bench \
        .venv/bin/python benchmarks/mujun/bench_run_1m.py [--enterprises 1000000] [--keep]
    dropdb -h 127.0.0.1 -U postgres mujun_bench

Loads a seeded province (100 zones, N enterprises with one year each, 黄岩-like magnitudes, 3%
missing emissions, 1% protected, 0.5% exempt industry) by COPY, then runs the evaluation job as
the system account under the 黄岩 preset and prints the job's per-stage timings. With --keep the
loaded data is reused and earlier benchmark runs' results are cleared first, so that every run
writes into the same empty result table.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import time
from datetime import date
from typing import Any

import numpy as np

# Production settings: DEBUG would record every query and distort time and memory.
os.environ.setdefault("KAIFAQU_SECRET_KEY", "benchmark-only")
os.environ.setdefault("KAIFAQU_ALLOWED_HOSTS", "localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
YEAR = 2025
ZONES = 100


def main() -> int:
    import django

    parser = argparse.ArgumentParser()
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse loaded data if present")
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    django.setup()
    from django.core.management import call_command

    from kaifaqu.enterprises.models import EnterpriseYear

    call_command("migrate", verbosity=0)
    if args.load_only:
        load(args.enterprises)
        return 0
    if not (args.keep and EnterpriseYear.objects.filter(year=YEAR).exists()):
        # A process of its own, so that the peak memory printed below is the run's alone.
        start = time.perf_counter()
        command = [sys.executable, __file__, "--load-only", "--enterprises", str(args.enterprises)]
        subprocess.run(command, check=True)
        print(f"load: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return evaluate()


def load(n: int) -> None:
    from django.db import connection, transaction

    from kaifaqu.catalog.models import Industry, Region
    from kaifaqu.zones.models import Zone

    rng = np.random.default_rng(20261123)
    with transaction.atomic():
        province, _ = Region.objects.get_or_create(
            code="980000", defaults={"name": "基准省", "level": "province"}
        )
        zones = [
            Zone.objects.get_or_create(
                code=f"B{i:03d}",
                defaults={"name": f"基准开发区{i}", "kind": "provincial_edz", "region": province},
            )[0]
            for i in range(ZONES)
        ]
        industries = list(
            Industry.objects.filter(level="division", code__gte="13", code__lte="46").values_list(
                "pk", "code"
            )
        )
    zone_of = rng.integers(0, ZONES, n)
    industry_of = rng.integers(0, len(industries), n)
    exempt = rng.random(n) < 0.005
    industry_ids = np.array([pk for pk, _ in industries])
    power = next(pk for pk, code in industries if code == "44")
    chosen = np.where(exempt, power, industry_ids[industry_of])
    registered = np.where(rng.random(n) < 0.01, 2024, 2010)
    zone_ids = np.array([z.pk for z in zones])[zone_of]
    _copy(
        "enterprises_enterprise",
        [
            "uscc",
            "name",
            "zone_id",
            "region_id",
            "province_code",
            "industry_id",
            "registration_date",
            "ownership",
            "status",
            "exempt_military",
            "exempt_utility",
        ],
        (
            (
                f"B{i:017d}",
                f"基准企业{i}",
                int(zone_ids[i]),
                province.pk,
                "980000",
                int(chosen[i]),
                date(int(registered[i]), 6, 1),
                "domestic",
                "operating",
                "f",
                "f",
            )
            for i in range(n)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM enterprises_enterprise WHERE province_code = '980000' ORDER BY id"
        )
        ids = np.array([row[0] for row in cursor.fetchall()])
    land = rng.lognormal(3.0, 0.8, n).round(2) + 1
    tax = (land * rng.lognormal(2.8, 0.9, n)).round(4)
    va = (land * rng.lognormal(4.6, 0.7, n)).round(4)
    energy = (va / rng.lognormal(0.9, 0.6, n)).round(4)
    emission = np.where(rng.random(n) < 0.03, np.nan, (va / rng.lognormal(8.3, 0.8, n)).round(4))
    staff = np.maximum(5, (va / rng.lognormal(2.8, 0.5, n))).astype(int)
    revenue = (va * rng.lognormal(1.5, 0.3, n)).round(4)
    rd = (revenue * rng.lognormal(-3.7, 0.8, n)).round(4)
    above = rng.random(n) < 0.7
    kwh = (energy * 0.8).round(4)
    _copy(
        "enterprises_enterpriseyear",
        [
            "enterprise_id",
            "zone_id",
            "province_code",
            "year",
            "above_scale",
            "land_area_mu",
            "tax_paid",
            "value_added",
            "energy_tce",
            "cod_t",
            "avg_employees",
            "operating_revenue",
            "rd_expenditure",
            "electricity_10k_kwh",
        ],
        (
            (
                int(ids[i]),
                int(zone_ids[i]),
                "980000",
                YEAR,
                "t" if above[i] else "f",
                land[i],
                tax[i],
                va[i],
                energy[i],
                emission[i],
                int(staff[i]),
                revenue[i],
                rd[i],
                kwh[i],
            )
            for i in range(n)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE enterprises_enterprise; ANALYZE enterprises_enterpriseyear")


def _copy(table: str, columns: list[str], rows: Any) -> None:
    from django.db import connection

    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if _missing(v) else str(v) for v in row) + "\n")
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        copy.write(buffer.getvalue())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def evaluate() -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kaifaqu.catalog.models import Region
    from kaifaqu.jobs.actions import run_job
    from kaifaqu.jobs.models import Job
    from kaifaqu.mujun.actions import copy_preset, start_run
    from kaifaqu.mujun.models import EvaluationResult

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE mujun_objection, mujun_evaluationresult, mujun_evaluationrun,"
            " mujun_scheme CASCADE"
        )
    system = get_user_model().objects.get(username="system")
    province = Region.objects.get(code="980000")
    scheme = copy_preset("huangyan_2022", region=province, acting_user=system)
    run = start_run(scheme, year=YEAR, region=province, zone=None, acting_user=system)
    assert run.job_id is not None
    job = Job.objects.get(id=run.job_id)
    start = time.perf_counter()
    run_job(job)
    wall = time.perf_counter() - start
    job.refresh_from_db()
    if job.state != "succeeded":
        print(job.error, file=sys.stderr)
        return 1
    run.refresh_from_db()
    print(f"run #{run.pk}: {EvaluationResult.objects.filter(run=run).count():,} results")
    for stage, seconds in run.timings.items():
        print(f"  {stage:8s} {seconds:7.2f} s")
    print(f"  {'total':8s} {wall:7.2f} s (job wall clock, incl. summary and log)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"  peak RSS of the run's process: {peak:.2f} GiB")
    print(f"  counts: { {k: v for k, v in run.counts.items() if isinstance(v, int)} }")
    return 0


if __name__ == "__main__":
    sys.exit(main())
