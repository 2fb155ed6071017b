"""The daily digest: one e-mail per user with unread notifications, only when SMTP is set up."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from conftest import make_user
from kaifaqu.core.cli import SYSTEM_USERNAME
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.models import Schedule
from kaifaqu.jobs.periodic import start_due_jobs
from kaifaqu.notifications.actions import mark_all_read, notify

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def inboxes(province):
    """An analyst with two unread notifications, a zone user who read hers, and a user with
    unread ones but no e-mail address."""
    enterprise = province["enterprises"]["东城纺织有限公司"]
    analyst = make_user("analyst", "province_analyst", region=province["province"])
    reader = make_user("reader", "zone_analyst", zones=(province["zones"]["east"],))
    no_address = make_user("no_address", "zone_analyst", zones=(province["zones"]["east"],))
    get_user_model().objects.filter(username__in=["analyst", "reader"]).update(
        email="staff@example.gov.cn"
    )
    notify([analyst, reader, no_address], "assignment", enterprise, "新诉求已派单:用地问题")
    notify([analyst], "overdue", None, "督办事项逾期", url="/jobs/")
    mark_all_read(acting_user=reader)
    return {"analyst": analyst, "enterprise": enterprise}


def run_digest():
    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    job, _ = create_job("notification_digest", {}, acting_user=system)
    run_job(job)
    job.refresh_from_db()
    return job


def test_without_smtp_nothing_is_sent(inboxes, settings):
    settings.KAIFAQU_SMTP_HOST = ""

    job = run_digest()

    assert job.state == "succeeded"
    assert job.result == {
        "due": 0,
        "visit_reminders": 0,
        "users": 1,
        "sent": 0,
        "note": "未配置邮件服务器,未发送",
    }
    assert mail.outbox == []


def test_with_smtp_each_user_with_unread_notifications_gets_one_summary(inboxes, settings):
    settings.KAIFAQU_SMTP_HOST = "smtp.example.gov.cn"
    settings.KAIFAQU_SITE_URL = "https://kfq.example.gov.cn/"

    job = run_digest()

    assert job.result == {"due": 0, "visit_reminders": 0, "users": 1, "sent": 1}
    (message,) = mail.outbox
    assert message.to == ["staff@example.gov.cn"]
    assert message.subject == "开发区智慧管理平台:2 条未读通知"
    url = inboxes["enterprise"].get_absolute_url()
    assert message.body.splitlines() == [
        "analyst:您有 2 条未读通知。",
        "",
        "【逾期】督办事项逾期",
        "  https://kfq.example.gov.cn/jobs/",
        "【派单】新诉求已派单:用地问题",
        f"  https://kfq.example.gov.cn{url}",
        "",
        "收件箱:https://kfq.example.gov.cn/notifications/?state=unread",
    ]


def test_a_long_digest_lists_the_newest_and_counts_the_rest(inboxes, settings):
    settings.KAIFAQU_SMTP_HOST = "smtp.example.gov.cn"
    settings.KAIFAQU_DIGEST_ITEMS = 1

    run_digest()

    lines = mail.outbox[0].body.splitlines()
    assert lines[2:5] == ["【逾期】督办事项逾期", "  /jobs/", "……另有 1 条,请登录平台查看。"]


def test_the_digest_is_scheduled_daily_at_eight_beijing_time(inboxes):
    schedule = Schedule.objects.get(kind="notification_digest")
    assert (schedule.cadence, schedule.hour, schedule.minute) == ("daily", 8, 0)
    Schedule.objects.exclude(kind="notification_digest").update(enabled=False)
    day = datetime(2026, 12, 3, tzinfo=SHANGHAI)

    with time_machine.travel(day, tick=False):
        assert start_due_jobs() == []  # planned, not run
    with time_machine.travel(day + timedelta(hours=7, minutes=59), tick=False):
        assert start_due_jobs() == []
    with time_machine.travel(day + timedelta(hours=8), tick=False):
        started = [job.kind for job in start_due_jobs()]
        again = start_due_jobs()

    assert (started, again) == (["notification_digest"], [])
