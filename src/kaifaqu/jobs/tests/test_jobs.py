from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from kaifaqu.audit.models import ObjectChange
from kaifaqu.jobs.actions import WORKER_LOST, create_job, run_job
from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.models import Job
from kaifaqu.zones.models import ZoneYearSummary

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # the worker closes its connection between tasks
def test_page_starts_a_job_that_the_worker_runs(analyst_client, province):
    response = analyst_client.post(reverse("zones:refresh_summaries"))
    job = Job.objects.get()
    assert response["Location"] == reverse("jobs:job", args=[job.pk])
    assert job.state == JobState.QUEUED

    call_command("worker", batch=True)

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.error) == (JobState.SUCCEEDED, 3, 3, "")
    assert job.result == {"zones": 3, "rows": 6, "replaced": 0}
    east = ZoneYearSummary.objects.get(zone=province["zones"]["east"], year=2025)
    assert (east.enterprise_count, east.above_scale_count) == (2, 1)
    assert east.operating_revenue == Decimal("6003.0000")
    assert east.tax_paid == Decimal("176.5000")
    change = ObjectChange.objects.get()
    assert change.request_id == job.request_id
    assert change.channel == "job"


def test_same_request_while_active_returns_the_same_job(province, province_analyst, zone_user):
    first, created = create_job("zone_summaries", {}, acting_user=province_analyst)
    again, created_again = create_job("zone_summaries", {}, acting_user=province_analyst)
    other, _ = create_job("zone_summaries", {}, acting_user=zone_user)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert other.pk != first.pk


def test_zone_users_job_summarises_only_its_zone(province, zone_user):
    job, _ = create_job("zone_summaries", {}, acting_user=zone_user)
    run_job(job)
    assert set(ZoneYearSummary.objects.values_list("zone__code", flat=True)) == {"Z001"}


def test_progress_fragment_polls_while_active_and_stops_when_done(analyst_client, province_analyst):
    job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    url = reverse("jobs:job", args=[job.pk])

    polling = analyst_client.get(url, headers={"HX-Request": "true"}).content.decode()
    run_job(job)
    finished = analyst_client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 1s"' in polling
    assert "<html" not in polling
    assert 'hx-trigger="every 1s"' not in finished
    assert "已完成" in finished


def test_failed_write_rolls_back_and_says_why(province, province_analyst, monkeypatch):
    earlier, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    run_job(earlier)
    before = list(ZoneYearSummary.objects.values_list("pk", "refreshed"))

    def refuse(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(ZoneYearSummary.objects, "bulk_create", refuse)
    job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    run_job(job)

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == (
        "任务执行时发生内部错误(IntegrityError),结果未保存。请稍后重试,如仍失败请联系系统管理员。"
    )
    assert list(ZoneYearSummary.objects.values_list("pk", "refreshed")) == before
    assert ObjectChange.objects.count() == 1


def test_job_with_nothing_to_do_fails_with_a_clerks_message(province, django_user_model):
    from conftest import make_user

    nobody = make_user("no_zones", "zone_analyst")
    job, _ = create_job("zone_summaries", {}, acting_user=nobody)
    run_job(job)
    assert (job.state, job.error) == (JobState.FAILED, "您的数据范围内没有开发区,无可汇总的数据")


def test_job_of_a_dead_worker_ends_failed(analyst_client, province_analyst, settings):
    job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    stale = timezone.now() - timedelta(seconds=settings.KAIFAQU_JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, heartbeat=stale)

    page = analyst_client.get(reverse("jobs:job", args=[job.pk])).content.decode()

    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, WORKER_LOST)
    assert WORKER_LOST in page
    assert not ZoneYearSummary.objects.exists()


def test_cli_failure_exits_1_with_the_message(province, capsys):
    from conftest import make_user

    make_user("no_zones", "zone_analyst")
    with pytest.raises(SystemExit) as exited:
        call_command("run_job", "zone_summaries", as_user="no_zones")
    assert exited.value.code == 1
    assert "您的数据范围内没有开发区" in capsys.readouterr().err
