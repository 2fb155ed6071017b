"""A period's report not filed by its due date escalates by supervision's rules (data, working
days): the lead unit's members are warned, the item's level raised and put on the 督办 board as
the rules say, each rule once per report; a report filed in time triggers nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import make_user
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Schedule
from kaifaqu.jobs.periodic import start_due_jobs
from kaifaqu.notifications.models import Notification
from kaifaqu.policies import actions
from kaifaqu.policies.models import PolicyTask
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import EscalationRule, LogEntry, SupervisedItem
from kaifaqu.units.models import Membership

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NONE = {"逾期1日": 0, "逾期3日": 0}


@pytest.fixture
def quarterly(world):
    """The collective quarterly task confirmed on 1 August 2025 (its items at 市级): the third
    quarter's reports are due Tuesday 30 September. The east zone's committee files in time;
    the high-tech zone's committee, with a member of its own, does not."""
    tasks = actions.confirm(
        world["proposals"]["一/(二)"], acting_user=world["users"]["east"], today=date(2025, 8, 1)
    )
    units = world["units"]
    by_unit = {t.lead_unit: t for t in tasks}
    htz_member = make_user("htz_staff", "zone_analyst", zones=(world["zones"]["east_htz"],))
    Membership.objects.create(unit=units["htz_committee"], user=htz_member)
    on_time = by_unit[units["east_committee"]]
    with time_machine.travel(datetime(2025, 9, 29, 10, tzinfo=SHANGHAI), tick=False):
        actions.report_progress(
            on_time, text="完成园区评估", report=on_time.reports.get(),
            acting_user=world["users"]["zone"],
        )  # fmt: skip
    return {"late": by_unit[units["htz_committee"]], "on_time": on_time, "member": htz_member}


def seen(task: PolicyTask) -> tuple[str, int, bool, int]:
    item = SupervisedItem.objects.get(pk=task.item_id)
    return item.light, item.level, item.on_board, item.escalation_days


def escalated_notes(task: PolicyTask) -> list[str]:
    entries = LogEntry.objects.filter(item_id=task.item_id, kind="escalated").order_by("pk")
    return list(entries.values_list("note", flat=True))


def test_an_unfiled_report_warns_then_raises_its_task_once(
    quarterly, world, django_capture_on_commit_callbacks
):
    late, on_time = quarterly["late"], quarterly["on_time"]

    def escalate_on(day: date) -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):  # the events go out on commit
            return actions.escalate_reports(acting_user=None, today=day)

    # 国庆: 10/1–10/8 are holidays, so on 10/8 no report is overdue yet
    assert escalate_on(date(2025, 10, 8)) == NONE
    # 10/9, the first working day after the due date: a warning to the high-tech committee
    counts = escalate_on(date(2025, 10, 9))
    assert counts == {"逾期1日": 1, "逾期3日": 0}
    assert seen(late) == ("yellow", Level.CITY, False, 0)  # the item's own deadline untouched
    assert late.reports.get(period="2025年第3季度").escalation_days == 1
    warned = Notification.objects.filter(kind="escalation").values_list(
        "recipient__username", "title", "url"
    )
    assert list(warned) == [
        (
            "htz_staff",
            "进展填报逾期 1 个工作日 → 黄灯:1 项",
            late.item.get_absolute_url(),
        )
    ]
    # Saturday 10/11 is a 调休 working day, the third: the task is raised to 省级 and the board
    assert escalate_on(date(2025, 10, 10)) == NONE
    counts = escalate_on(date(2025, 10, 11))
    assert counts == {"逾期1日": 0, "逾期3日": 1}
    assert seen(late) == ("red", Level.PROVINCE, True, 0)
    for later in (date(2025, 10, 13), date(2025, 11, 3)):
        assert escalate_on(later) == NONE
    assert escalated_notes(late) == [
        "进展填报逾期 1 个工作日 → 黄灯(现为市级)",
        "进展填报逾期 3 个工作日 → 红灯,提级督办(现为省级)",
    ]
    assert Notification.objects.filter(kind="escalation").count() == 2
    # the report filed in time triggered nothing
    assert seen(on_time) == ("green", Level.CITY, False, 0)
    assert escalated_notes(on_time) == []
    assert not Notification.objects.filter(recipient=world["users"]["zone"]).exists()


def test_a_late_report_filed_before_the_night_is_not_escalated(quarterly, world):
    late = quarterly["late"]
    with time_machine.travel(datetime(2025, 10, 9, 10, tzinfo=SHANGHAI), tick=False):
        actions.report_progress(
            late, text="补报", report=late.reports.get(), acting_user=quarterly["member"]
        )
    assert actions.escalate_reports(acting_user=None, today=date(2025, 10, 13)) == NONE
    assert seen(late) == ("green", Level.CITY, False, 0)


def test_the_rules_are_supervisions_data(quarterly):
    late = quarterly["late"]
    EscalationRule.objects.filter(overdue_days=3).update(overdue_days=5, raise_level=False)
    counts = actions.escalate_reports(acting_user=None, today=date(2025, 10, 13))
    assert counts == {"逾期1日": 1, "逾期5日": 0}
    assert seen(late) == ("yellow", Level.CITY, False, 0)


def test_a_red_task_stays_red_when_a_report_warns(quarterly):
    late = quarterly["late"]
    SupervisedItem.objects.filter(pk=late.item_id).update(light="red")
    actions.escalate_reports(acting_user=None, today=date(2025, 10, 9))
    assert seen(late) == ("red", Level.CITY, False, 0)


def test_the_nightly_job_opens_the_new_period_and_escalates(quarterly):
    Schedule.objects.exclude(kind="policy_reports").update(enabled=False)
    with time_machine.travel(datetime(2025, 10, 8, 12, tzinfo=SHANGHAI), tick=False):
        start_due_jobs()  # plans the first run
    with time_machine.travel(datetime(2025, 10, 9, 0, 30, tzinfo=SHANGHAI), tick=False):
        started = start_due_jobs()
        assert [job.kind for job in started] == ["policy_reports"]
        job = run_job(started[0])
    assert job.state == "succeeded", job.error
    # the fourth quarter's report of both tasks, and the high-tech zone's warning
    assert job.result == {"opened": 2, "逾期1日": 1, "逾期3日": 0}
    assert seen(quarterly["late"]) == ("yellow", Level.CITY, False, 0)
