"""Periodic jobs with the clock driven: due on the minute, once per period however many workers
claim it, once on catch-up, planned in Beijing time whatever the server's zone."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.clock import next_occurrence
from kaifaqu.jobs.models import Job, Schedule
from kaifaqu.jobs.periodic import claim, start_due_jobs, start_period

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 12, 3, tzinfo=SHANGHAI)  # midnight in Beijing


def at(days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0) -> datetime:
    return DAY + timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def started_at(moment: datetime) -> list[tuple[str, str]]:
    """The jobs the worker's check starts at ``moment``: (kind, owner)."""
    with time_machine.travel(moment, tick=False):
        return [(job.kind, job.user.username) for job in start_due_jobs()]


@pytest.fixture
def nightly() -> Schedule:
    """The shipped zone summary refresh, planned at midnight (due at 02:00 that night), and
    the only schedule enabled."""
    started_at(at())
    Schedule.objects.exclude(kind="zone_summaries").update(enabled=False)
    return Schedule.objects.get(kind="zone_summaries")


def test_new_installation_runs_the_shipped_schedules_nightly():
    shipped = Schedule.objects.order_by("kind").values_list(
        "kind", "cadence", "hour", "minute", "enabled", "next_run"
    )
    assert list(shipped) == [
        ("import_cleanup", "daily", 3, 0, True, None),
        ("investment_lights", "daily", 4, 0, True, None),
        ("notification_digest", "daily", 8, 0, True, None),
        ("policy_reports", "daily", 0, 30, True, None),
        ("servicerequests_auto_close", "daily", 2, 0, True, None),
        ("supervision_escalation", "daily", 1, 0, True, None),
        ("zone_summaries", "daily", 2, 0, True, None),
    ]


def test_planning_a_new_schedule_starts_nothing():
    assert started_at(at()) == []
    assert Schedule.objects.get(kind="zone_summaries").next_run == at(hours=2)
    assert Schedule.objects.get(kind="import_cleanup").next_run == at(hours=3)
    assert not Job.objects.exists()


def test_daily_schedule_is_due_at_two_not_at_one_fifty_nine(nightly):
    assert started_at(at(hours=1, minutes=59, seconds=59)) == []
    assert started_at(at(hours=2)) == [("zone_summaries", "system")]

    nightly.refresh_from_db()
    job = Job.objects.get()
    assert (nightly.last_run, nightly.next_run, nightly.last_job) == (at(hours=2), at(1, 2), job)
    assert (job.params, job.state) == ({}, JobState.QUEUED)


def test_each_period_runs_once(nightly):
    assert started_at(at(hours=2)) == [("zone_summaries", "system")]
    assert started_at(at(hours=2, seconds=1)) == []
    assert started_at(at(hours=23, minutes=59)) == []
    Job.objects.update(state=JobState.SUCCEEDED)  # the worker ran it
    assert started_at(at(1, 2)) == [("zone_summaries", "system")]
    assert Job.objects.count() == 2


def test_a_period_whose_last_job_still_waits_queues_no_second_one(nightly):
    first = start_due_jobs(at(hours=2))
    again = start_due_jobs(at(1, 2))
    assert again == first
    assert Job.objects.count() == 1


def test_second_claim_of_the_same_period_fails_and_enqueues_nothing(
    nightly, django_capture_on_commit_callbacks
):
    # Given two workers that both read the schedule while it was due
    first, second = Schedule.objects.get(pk=nightly.pk), Schedule.objects.get(pk=nightly.pk)
    with django_capture_on_commit_callbacks(execute=True):
        # When both try to start it
        started = start_period(first, at(hours=2, seconds=5))
        again = start_period(second, at(hours=2, seconds=5))

    # Then one job is created and one task queued
    assert again is None
    assert list(Job.objects.all()) == [started]
    assert DBTaskResult.objects.count() == 1
    assert not claim(second, at(hours=2, seconds=6))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_racing_start_one_job():
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once: SQLite's in-memory test database locks")
    started_at(at())
    ready = threading.Barrier(2)
    outcomes: list[bool] = []

    def worker() -> None:
        try:
            schedule = Schedule.objects.get(kind="zone_summaries")
            ready.wait(timeout=10)  # both have read the due schedule before either claims it
            outcomes.append(start_period(schedule, at(hours=2)) is not None)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [False, True]
    assert Job.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_catch_up_after_three_missed_nights_runs_once(nightly):
    # the worker was down from before the first 02:00 until three days later at ten
    assert started_at(at(3, 10)) == [("zone_summaries", "system")]
    assert started_at(at(3, 10, 1)) == []

    nightly.refresh_from_db()
    assert (nightly.last_run, nightly.next_run) == (at(3, 10), at(4, 2))
    assert Job.objects.count() == 1


def test_disabled_schedule_and_a_kind_that_may_not_be_scheduled_never_start(nightly):
    Schedule.objects.update(enabled=False)
    Schedule.objects.create(kind="import_commit", cadence="hourly", minute=0, next_run=at())
    assert started_at(at(1, 4)) == []
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("cadence", "hour", "minute", "now", "expected"),
    [
        ("daily", 2, 0, at(hours=1, minutes=59), at(hours=2)),
        ("daily", 2, 0, at(hours=2), at(1, 2)),
        ("daily", 0, 30, at(hours=23, minutes=50), at(1, 0, 30)),
        ("daily", 23, 30, at(hours=23, minutes=45), at(1, 23, 30)),
        ("daily", 0, 10, datetime(2026, 12, 31, 23, 50, tzinfo=SHANGHAI), at(29, 0, 10)),
        ("hourly", 0, 15, at(hours=23, minutes=50), at(1, 0, 15)),
        ("hourly", 0, 15, at(hours=10, minutes=15), at(hours=11, minutes=15)),
        ("hourly", 0, 15, at(hours=10, minutes=14, seconds=59), at(hours=10, minutes=15)),
    ],
)
def test_next_run_across_midnight(cadence, hour, minute, now, expected):
    assert next_occurrence(cadence, hour, minute, now) == expected


def test_server_in_utc_still_runs_at_two_in_beijing(settings, nightly, analyst_client):
    # Given a server whose own time zone is UTC: Beijing's 02:00 is 18:00 UTC the day before
    settings.TIME_ZONE = "UTC"
    assert started_at(datetime(2026, 12, 2, 17, 59, tzinfo=UTC)) == []
    assert started_at(datetime(2026, 12, 2, 18, 0, tzinfo=UTC)) == [("zone_summaries", "system")]

    nightly.refresh_from_db()
    assert nightly.next_run == datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    # and the jobs page says it in Beijing time
    page = analyst_client.get(reverse("jobs:job_list")).content.decode()
    assert "<td>2026-12-03 02:00(排队中)</td>" in page
    assert "<td>2026-12-04 02:00</td>" in page


def test_jobs_page_lists_the_schedules_with_last_and_next_run(nightly, analyst_client):
    started_at(at(hours=2))

    page = analyst_client.get(reverse("jobs:job_list")).content.decode()

    assert (
        "<td>开发区年度汇总表更新</td>\n      <td>每天 02:00</td>\n      <td>启用</td>\n"
        "      <td>2026-12-03 02:00(排队中)</td>\n      <td>2026-12-04 02:00</td>"
    ) in page
    assert (
        "<td>清理废弃的导入文件</td>\n      <td>每天 03:00</td>\n      <td>停用</td>\n"
        "      <td>—</td>\n      <td>—</td>"
    ) in page


def test_system_administrator_reschedules_in_the_admin_from_now_on(client, province, nightly):
    client.force_login(make_user("sys", "system_admin", region=province["province"]))

    with time_machine.travel(at(hours=3), tick=False):
        response = client.post(
            reverse("admin:jobs_schedule_change", args=[nightly.pk]),
            {
                "kind": "zone_summaries",
                "cadence": "hourly",
                "hour": "0",
                "minute": "20",
                "enabled": "on",
            },
        )

    assert response.status_code == 302
    nightly.refresh_from_db()
    # no catch-up for the 02:00 missed before the change (the worker was not running)
    assert (nightly.cadence, nightly.next_run) == ("hourly", at(hours=3, minutes=20))
    change = ObjectChange.objects.get()
    assert (change.username, change.before["cadence"], change.after["cadence"]) == (
        "sys",
        "daily",
        "hourly",
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_starts_and_runs_the_due_nightly_job(province):
    with time_machine.travel(at(), tick=False):
        call_command("worker", batch=True)
    assert not Job.objects.exists()

    with time_machine.travel(at(hours=2)):
        call_command("worker", batch=True)

    # every job due by 02:00 ran in the same batch: the policy reports (00:30), the escalation
    # (01:00), and the service requests' automatic close beside the summaries (02:00)
    assert set(Job.objects.values_list("kind", "state")) == {
        ("policy_reports", JobState.SUCCEEDED),
        ("supervision_escalation", JobState.SUCCEEDED),
        ("servicerequests_auto_close", JobState.SUCCEEDED),
        ("zone_summaries", JobState.SUCCEEDED),
    }
    job = Job.objects.get(kind="zone_summaries")
    assert (job.kind, job.user.username, job.state, job.result) == (
        "zone_summaries",
        "system",
        JobState.SUCCEEDED,
        {"zones": 3, "rows": 6, "replaced": 0},
    )
