"""Escalation by the clock: the nightly job, rules as data, each rule once per item and deadline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job, Schedule
from kaifaqu.jobs.periodic import start_due_jobs
from kaifaqu.notifications.models import Notification
from kaifaqu.supervision import actions
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import EscalationRule, LogEntry, SupervisedItem

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def night(day: date) -> datetime:
    """01:00 Beijing time, when the shipped schedule runs the escalation."""
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=SHANGHAI)


def escalate_on(day: date) -> dict[str, int]:
    with time_machine.travel(night(day), tick=False):
        started = start_due_jobs()
        assert [job.kind for job in started] == ["supervision_escalation"]
        job = run_job(started[0])
    assert job.state == "succeeded", job.error
    return job.result


def seen(item: SupervisedItem) -> tuple[str, int, bool, int]:
    item.refresh_from_db()
    return item.light, item.level, item.on_board, item.escalation_days


@pytest.fixture
def running(world):
    """The world's item, dispatched and signed for, due Tuesday 30 September 2025, and the
    escalation schedule planned for the night of 29 September (the only one enabled)."""
    item, users = world["item"], world["users"]
    actions.assign(item, lead_unit=world["units"]["committee"], acting_user=users["east"])
    actions.accept(item, acting_user=users["clerk"])
    SupervisedItem.objects.filter(pk=item.pk).update(deadline=date(2025, 9, 30))
    Schedule.objects.exclude(kind="supervision_escalation").update(enabled=False)
    with time_machine.travel(datetime(2025, 9, 29, 12, 0, tzinfo=SHANGHAI), tick=False):
        start_due_jobs()  # plans the first run
    return item


def test_the_default_rules_warn_after_one_day_and_raise_once_after_three(running, world):
    item = running
    # 国庆: 10/1–10/8 are holidays, so on 10/8 the item is not yet overdue
    assert escalate_on(date(2025, 10, 1)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert escalate_on(date(2025, 10, 8)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert seen(item) == ("green", Level.DISTRICT, False, 0)
    # 10/9 is the first working day after the deadline: one working day overdue
    assert escalate_on(date(2025, 10, 9)) == {"逾期未签收1日": 0, "逾期1日": 1, "逾期3日": 0}
    assert seen(item) == ("yellow", Level.DISTRICT, False, 1)
    assert escalate_on(date(2025, 10, 10)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    # Saturday 10/11 is a 调休 working day: the third
    assert escalate_on(date(2025, 10, 11)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 1}
    assert seen(item) == ("red", Level.CITY, True, 3)
    for later in (date(2025, 10, 12), date(2025, 10, 13), date(2025, 11, 3)):
        assert escalate_on(later) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert seen(item) == ("red", Level.CITY, True, 3)  # raised exactly once
    entries = LogEntry.objects.filter(item=item, kind="escalated").values_list("note", "state")
    assert list(entries) == [
        ("逾期 1 个工作日 → 黄灯(现为区级)", "in_progress"),
        ("逾期 3 个工作日 → 红灯,提级督办(现为市级)", "in_progress"),
    ]


def test_an_item_found_late_gets_every_rule_at_once_and_one_raise(running):
    assert escalate_on(date(2025, 10, 20)) == {"逾期未签收1日": 0, "逾期1日": 1, "逾期3日": 1}
    assert seen(running) == ("red", Level.CITY, True, 3)


def test_a_province_item_stays_at_the_top_level(running):
    SupervisedItem.objects.filter(pk=running.pk).update(level=Level.PROVINCE)
    escalate_on(date(2025, 10, 20))
    assert seen(running) == ("red", Level.PROVINCE, True, 3)


def test_rules_are_data(running):
    EscalationRule.objects.filter(overdue_days=3).update(overdue_days=5)
    EscalationRule.objects.create(overdue_days=2, light="yellow", raise_level=True)
    assert escalate_on(date(2025, 10, 10)) == {
        "逾期未签收1日": 0,
        "逾期1日": 1,
        "逾期2日": 1,
        "逾期5日": 0,
    }
    assert seen(running) == ("yellow", Level.CITY, False, 2)


def test_approved_extension_moves_the_deadline_and_starts_escalation_again(running, world):
    escalate_on(date(2025, 10, 11))
    users = world["users"]
    actions.request_extension(
        running, until=date(2025, 10, 31), reason="需配合", acting_user=users["clerk"]
    )
    actions.decide_extension(running, approve=True, acting_user=users["east"])
    running.refresh_from_db()
    assert running.deadline == date(2025, 10, 31)
    assert seen(running) == ("green", Level.CITY, False, 0)
    assert escalate_on(date(2025, 10, 31)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert escalate_on(date(2025, 11, 3)) == {"逾期未签收1日": 0, "逾期1日": 1, "逾期3日": 0}


def test_done_and_unassigned_items_are_left_alone(running, world):
    actions.complete(running, note="办结", acting_user=world["users"]["clerk"])
    assert escalate_on(date(2025, 10, 20)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert seen(running) == ("green", Level.DISTRICT, False, 0)


def test_one_update_and_one_log_insert_per_rule_whatever_the_number_of_items(running, world):
    for n in range(30):
        copy = actions.create_item(
            kind=running.kind, title=f"事项{n}", region=running.region, level=Level.DISTRICT,
            opened=date(2025, 9, 1), acting_user=world["users"]["east"],
        )  # fmt: skip
        SupervisedItem.objects.filter(pk=copy.pk).update(
            state="in_progress", deadline=date(2025, 9, 30)
        )
    with (
        time_machine.travel(night(date(2025, 10, 20)), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        actions.escalate(acting_user=None)
    # one UPDATE for all the rules, and one INSERT … SELECT of the log entries per rule
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    logs = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "supervision_logentry"')]
    assert len(logs) == 3
    assert all(" SELECT " in sql for sql in logs)
    assert LogEntry.objects.filter(kind="escalated", time__isnull=False).count() == 62
    assert SupervisedItem.objects.filter(level=Level.CITY, on_board=True).count() == 31
    assert not Job.objects.exclude(kind="supervision_escalation").exists()


def test_each_raising_rule_raises_once_and_its_entry_names_the_level_after_it(running):
    EscalationRule.objects.create(overdue_days=2, light="yellow", raise_level=True)
    # a rule of the same days as the default red one, for this kind: the earlier rule wins
    EscalationRule.objects.create(kind=running.kind, overdue_days=3, light="yellow")
    assert escalate_on(date(2025, 10, 20)) == {
        "逾期未签收1日": 0,
        "逾期1日": 1,
        "逾期2日": 1,
        "逾期3日": 1,
    }
    assert seen(running) == ("red", Level.PROVINCE, True, 3)
    entries = LogEntry.objects.filter(item=running, kind="escalated").order_by("note")
    assert sorted(entries.values_list("note", flat=True)) == [
        "逾期 1 个工作日 → 黄灯(现为区级)",
        "逾期 2 个工作日 → 黄灯,提级督办(现为市级)",
        "逾期 3 个工作日 → 红灯,提级督办(现为省级)",
    ]
    assert escalate_on(date(2025, 10, 21)) == {
        "逾期未签收1日": 0,
        "逾期1日": 0,
        "逾期2日": 0,
        "逾期3日": 0,
    }
    assert seen(running) == ("red", Level.PROVINCE, True, 3)


@pytest.fixture
def unsigned(world):
    """The world's item dispatched on Friday 26 September 2025 to be signed for by Tuesday 30
    September, due for handling on 31 October, not signed for."""
    item, users = world["item"], world["users"]
    actions.assign(
        item, lead_unit=world["units"]["committee"], acting_user=users["east"],
        accept_deadline=date(2025, 9, 30),
    )  # fmt: skip
    SupervisedItem.objects.filter(pk=item.pk).update(deadline=date(2025, 10, 31))
    Schedule.objects.exclude(kind="supervision_escalation").update(enabled=False)
    with time_machine.travel(datetime(2025, 9, 29, 12, 0, tzinfo=SHANGHAI), tick=False):
        start_due_jobs()
    return item


def accept_days(item: SupervisedItem) -> int:
    item.refresh_from_db()
    return item.accept_escalation_days


def test_an_item_not_signed_for_by_its_accept_deadline_is_warned_once(
    unsigned, world, django_capture_on_commit_callbacks
):
    nothing = {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert escalate_on(date(2025, 10, 8)) == nothing  # 国庆: not yet a working day late
    assert (seen(unsigned), accept_days(unsigned)) == (("green", Level.DISTRICT, False, 0), 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_on(date(2025, 10, 9)) == {**nothing, "逾期未签收1日": 1}
    # yellow and warned; the handling deadline's days and the level are untouched
    assert (seen(unsigned), accept_days(unsigned)) == (("yellow", Level.DISTRICT, False, 0), 1)
    entries = LogEntry.objects.filter(item=unsigned, kind="escalated")
    assert list(entries.values_list("note", "state", "unit")) == [
        ("逾期未签收 1 个工作日 → 黄灯(现为区级)", "assigned", world["units"]["committee"].pk)
    ]
    warned = Notification.objects.filter(kind="escalation")
    assert list(warned.values_list("recipient__username", "title")) == [
        ("clerk", "逾期未签收 1 个工作日 → 黄灯:1 项")
    ]
    for later in (date(2025, 10, 10), date(2025, 10, 11), date(2025, 10, 20)):
        assert escalate_on(later) == nothing  # once per dispatch
    assert (seen(unsigned), accept_days(unsigned)) == (("yellow", Level.DISTRICT, False, 0), 1)


def test_an_item_signed_for_in_time_or_without_an_accept_deadline_is_left_alone(unsigned, world):
    actions.accept(unsigned, acting_user=world["users"]["clerk"])
    other = actions.create_item(
        kind=unsigned.kind, title="无签收时限", region=unsigned.region, level=Level.DISTRICT,
        opened=date(2025, 9, 1), acting_user=world["users"]["east"],
    )  # fmt: skip
    actions.assign(other, lead_unit=world["units"]["committee"], acting_user=world["users"]["east"])
    SupervisedItem.objects.filter(pk=other.pk).update(deadline=date(2025, 10, 31))
    assert escalate_on(date(2025, 10, 20)) == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    assert (seen(unsigned), accept_days(unsigned)) == (("green", Level.DISTRICT, False, 0), 0)
    assert (seen(other), accept_days(other)) == (("green", Level.DISTRICT, False, 0), 0)


def test_accept_rules_are_data_and_a_new_dispatch_starts_them_again(unsigned, world):
    EscalationRule.objects.create(
        clock="accept", overdue_days=2, light="red", raise_level=True, on_board=True
    )
    result = escalate_on(date(2025, 10, 10))
    assert result == {"逾期未签收1日": 1, "逾期未签收2日": 1, "逾期1日": 0, "逾期3日": 0}
    assert (seen(unsigned), accept_days(unsigned)) == (("red", Level.CITY, True, 0), 2)
    users = world["users"]
    actions.return_item(unsigned, reason="非本单位职责", acting_user=users["clerk"])
    actions.assign(
        unsigned, lead_unit=world["units"]["committee"], acting_user=users["east"],
        accept_deadline=date(2025, 10, 14),
    )  # fmt: skip
    assert accept_days(unsigned) == 0
    assert escalate_on(date(2025, 10, 15))["逾期未签收1日"] == 1
    # the red light stays: a weaker rule never lowers it
    assert (seen(unsigned), accept_days(unsigned)) == (("red", Level.CITY, True, 0), 1)
