"""A province whose enterprise-years carry what the 黄岩 scheme reads, and an evaluated run."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import make_user

# The day the workflow tests open their 公示 on: a 公示 starts no earlier than today.
PUBLICITY_DAY = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def on_publicity_day() -> Iterator[None]:
    """Every 亩均 test runs from the morning of ``PUBLICITY_DAY`` (the clock keeps ticking)."""
    with time_machine.travel(PUBLICITY_DAY, tick=True):
        yield


@pytest.fixture
def rich_province(province: dict[str, Any]) -> dict[str, Any]:
    """Every enterprise above scale with full data; the n-th pays n × 100 万元 on 40 亩."""
    from kaifaqu.enterprises.models import EnterpriseYear

    rows = EnterpriseYear.objects.order_by("enterprise_id", "year")
    for row in rows:
        n = row.enterprise_id - rows[0].enterprise_id + 1
        row.above_scale = True
        row.tax_paid = Decimal(100 * n)
        row.value_added = Decimal(600 * n)
        row.energy_tce = Decimal(200)
        row.cod_t = Decimal("0.5")
        row.avg_employees = 50
        row.operating_revenue = Decimal(5000)
        row.rd_expenditure = Decimal(100)
        row.save()
    return province


@pytest.fixture
def manager(province: dict[str, Any]) -> Any:
    """A province manager: may change and publish."""
    return make_user("manager", "province_manager", region=province["province"])


@pytest.fixture
def scheme(manager: Any, province: dict[str, Any]) -> Any:
    from kaifaqu.mujun.actions import copy_preset

    return copy_preset("huangyan_2022", region=province["province"], acting_user=manager)


def evaluate_now(run: Any) -> Any:
    """Run the run's queued job here (the worker's part), and reload the run."""
    from kaifaqu.jobs.actions import run_job
    from kaifaqu.jobs.models import Job

    job = Job.objects.filter(pk=run.job_id).first() if run.job_id else None
    run.refresh_from_db()
    job = Job.objects.get(pk=run.job_id)
    run_job(job)
    job.refresh_from_db()
    assert job.state == "succeeded", job.error
    run.refresh_from_db()
    return run


def object_to_the_weakest(run: Any, today: date) -> Any:
    """The enterprise of the run's weakest scored result objects in the run's 公示: its tax was
    under-reported, the corrected 税收 is 5,000 万元. Returns the objection."""
    from kaifaqu.mujun import actions
    from kaifaqu.mujun.models import EvaluationResult

    weakest = EvaluationResult.objects.filter(run=run, total__isnull=False).order_by("total")[0]
    user = make_user("ent", "enterprise_user", enterprise=weakest.enterprise)
    return actions.file_objection(
        weakest,
        reason="税收数据漏报",
        evidence="完税证明 2025-001",
        corrected_values={"tax_paid": 5000},
        acting_user=user,
        today=today,
    )


@pytest.fixture
def run(rich_province: dict[str, Any], scheme: Any, manager: Any) -> Any:
    from kaifaqu.mujun.actions import start_run

    created = start_run(
        scheme, year=2025, region=rich_province["province"], zone=None, acting_user=manager
    )
    return evaluate_now(created)
