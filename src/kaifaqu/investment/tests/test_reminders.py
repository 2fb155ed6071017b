"""拜访 reminders: the daily digest tells the person in charge and the recorder of a visit on
its reminder date, exactly once, a day it missed included; a visit without one never."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from kaifaqu.core.cli import SYSTEM_USERNAME
from kaifaqu.investment import actions
from kaifaqu.investment.models import Project, Visit
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.notifications.models import Notification

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def digest_on(day: date) -> dict[str, Any]:
    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    with time_machine.travel(datetime(day.year, day.month, day.day, 7, tzinfo=SHANGHAI)):
        job, _ = create_job("notification_digest", {}, acting_user=system)
        run_job(job)
    job.refresh_from_db()
    assert job.state == "succeeded"
    result: dict[str, Any] = job.result
    return result


@pytest.fixture
def visit(world: dict[str, Any]) -> Visit:
    """A visit the zone's clerk recorded about a project the city's analyst is in charge of."""
    project: Project = world["project"]
    Project.objects.filter(pk=project.pk).update(person_in_charge=world["users"]["city"])
    project.refresh_from_db()
    return actions.record_visit(
        project=project, visited_on=date(2025, 6, 1), visitors="招商一局", summary="初次洽谈",
        next_action="组织实地考察", remind_on=date(2025, 6, 10),
        acting_user=world["users"]["zone"],
    )  # fmt: skip


def test_the_reminder_is_sent_on_its_day_once(visit: Visit, world: dict[str, Any]) -> None:
    assert digest_on(date(2025, 6, 9))["visit_reminders"] == 0
    assert not Notification.objects.exists()

    assert digest_on(date(2025, 6, 10))["visit_reminders"] == 1

    notices = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.title, n.body, n.url) for n in notices] == [
        (
            username,
            "deadline",
            "拜访提醒:新能源电池材料项目:组织实地考察",
            "2025-06-01 拜访(招商一局)约定的下一步工作,提醒日期 2025-06-10。",
            world["project"].get_absolute_url(),
        )
        for username in ("east_city", "zone_staff")
    ]
    visit.refresh_from_db()
    assert visit.reminded_on == date(2025, 6, 10)
    # the next day's digest sends nothing again
    assert digest_on(date(2025, 6, 11))["visit_reminders"] == 0
    assert Notification.objects.count() == 2


def test_a_day_the_digest_missed_is_caught_up(visit: Visit) -> None:
    assert digest_on(date(2025, 6, 12))["visit_reminders"] == 1
    visit.refresh_from_db()
    assert visit.reminded_on == date(2025, 6, 12)


def test_a_visit_without_a_reminder_is_never_told(world: dict[str, Any]) -> None:
    actions.record_visit(
        project=world["project"], visited_on=date(2025, 6, 1), visitors="招商一局",
        summary="回访", acting_user=world["users"]["zone"],
    )  # fmt: skip
    assert digest_on(date(2025, 12, 31))["visit_reminders"] == 0
    assert not Notification.objects.exists()
