"""督查: task statuses, an overdue task escalated by supervision's own rules, the page paged with
its counts of the whole list, and the 督查通报 as DOCX and xlsx in the bureau's layout."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from kaifaqu.policies import actions
from kaifaqu.policies.choices import TaskStatus
from kaifaqu.policies.inspection import tally, with_status
from kaifaqu.policies.models import PolicyTask
from kaifaqu.policies.views import InspectionView
from kaifaqu.supervision import actions as supervision
from kaifaqu.supervision.choices import Level, Light

pytestmark = pytest.mark.django_db

CONFIRMED = date(2025, 4, 1)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def supervised(world):
    east = world["users"]["east"]
    for path in ("一/(一)", "一/(二)", "一/(三)"):
        actions.confirm(world["proposals"][path], acting_user=east, today=CONFIRMED)
    return {t.lead_unit.name + t.proposal.path: t for t in PolicyTask.objects.all()}


def statuses(today: date) -> dict[str, str]:
    tasks = with_status(PolicyTask.objects.select_related("lead_unit", "proposal"), today)
    return {task.lead_unit.name + task.proposal.path: task.status for task in tasks}


def test_statuses_follow_the_items_and_the_reports(supervised, world):
    before = statuses(date(2025, 5, 1))
    assert set(before.values()) == {TaskStatus.ON_TRACK}
    after = statuses(date(2025, 7, 15))
    # 6月底前 has passed for (三), and the second quarter's report of (二) was due on 6/30
    assert after["东城市发展和改革委员会一/(三)"] == TaskStatus.OVERDUE
    assert after["东城经济技术开发区管委会一/(二)"] == TaskStatus.OVERDUE
    assert after["东城市商务局一/(一)"] == TaskStatus.ON_TRACK
    task = supervised["东城经济技术开发区管委会一/(二)"]
    report = task.reports.get()
    actions.report_progress(task, text="完成", report=report, acting_user=world["users"]["zone"])
    assert statuses(date(2025, 7, 15))["东城经济技术开发区管委会一/(二)"] == TaskStatus.ON_TRACK


def test_done_by_the_deadline_is_complete_after_it_late(supervised, world):
    member = world["users"]["clerk"]  # a member of 东城市商务局
    task = supervised["东城市商务局一/(一)"]
    with time_machine.travel(datetime(2025, 11, 3, 10, tzinfo=SHANGHAI), tick=False):
        supervision.accept(task.item, acting_user=member)
        supervision.complete(task.item, note="已达到620家", acting_user=member)
    assert statuses(date(2026, 2, 1))["东城市商务局一/(一)"] == TaskStatus.COMPLETE
    late = supervised["东城市发展和改革委员会一/(三)"]
    reform = world["units"]["reform"]
    reform.memberships.create(user=member)
    with time_machine.travel(datetime(2025, 7, 10, 10, tzinfo=SHANGHAI), tick=False):
        supervision.accept(late.item, acting_user=member)
        supervision.complete(late.item, note="细则已出台", acting_user=member)
    assert statuses(date(2026, 2, 1))["东城市发展和改革委员会一/(三)"] == TaskStatus.LATE


def test_an_overdue_task_escalates_through_the_supervision_rules(supervised, world):
    item = supervised["东城市发展和改革委员会一/(三)"].item
    # due Monday 30 June 2025; three working days later the default rules turn it red
    counts = supervision.escalate(acting_user=None, today=date(2025, 7, 4))
    assert counts == {"逾期未签收1日": 0, "逾期1日": 1, "逾期3日": 1}
    item.refresh_from_db()
    assert (item.light, item.level, item.on_board) == (Light.RED, Level.PROVINCE, True)
    assert item.log.filter(kind="escalated").count() == 2


def test_the_bulletin_in_the_bureaus_layout(supervised, world, client):
    member = world["users"]["zone"]
    task = supervised["东城经济技术开发区管委会一/(二)"]
    report = task.reports.get()
    actions.report_progress(task, text="完成季度评估", report=report, acting_user=member)
    client.force_login(world["users"]["east"])
    url = reverse("policies:inspection")
    with time_machine.travel(datetime(2025, 7, 15, 10, tzinfo=SHANGHAI), tick=False):
        xlsx = client.get(url, {"export": "xlsx"})
        docx = client.get(reverse("policies:bulletin_docx"))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert rows[0] == ["文件", "措施", "责任单位", "时限", "进展", "状态"]
    by_unit = {r[2]: r for r in rows[1:]}
    assert by_unit["东城市发展和改革委员会(配合:东城市商务局)"] == [
        "东城市开发区高质量发展行动方案(东政发〔2025〕8号)",
        "优化营商环境",
        "东城市发展和改革委员会(配合:东城市商务局)",
        "2025年6月30日前",
        "未报送",
        "逾期未完成",
    ]
    zone_row = by_unit["东城经济技术开发区管委会"]
    assert zone_row[3:] == [
        "每季度",
        f"2025年第2季度:完成季度评估({task.reports.get().submitted:%Y-%m-%d})",
        "推进中",
    ]
    document = Document(io.BytesIO(docx.content))
    assert document.paragraphs[1].text == (
        "截至2025年7月15日,督查政策任务 5 项:"
        "已完成 0 项,推进中 3 项,逾期完成 0 项,逾期未完成 2 项。"
    )
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == rows[0]
    assert sorted([c.text for c in r.cells] for r in table.rows[1:]) == sorted(
        [str(v) for v in r] for r in rows[1:]
    )


def test_the_page_pages_the_tasks_and_counts_the_whole_list(supervised, world, client, monkeypatch):
    monkeypatch.setattr(InspectionView, "page_size", 2)
    client.force_login(world["users"]["east"])
    url = reverse("policies:inspection")
    with time_machine.travel(datetime(2025, 7, 15, 10, tzinfo=SHANGHAI), tick=False):
        first = client.get(url)
    html = first.content.decode()
    assert (first.context["count"], first.context["page"].pages) == (5, 3)
    assert len(first.context["table"].rows) == 2
    totals = first.context["inspection"].totals
    # no report filed: both committees' second-quarter reports are overdue, and (三)
    assert dict(totals) == {TaskStatus.ON_TRACK: 2, TaskStatus.OVERDUE: 3}
    units = {t.name: (t.total, dict(t.counts)) for t in first.context["inspection"].units}
    assert units["东城市发展和改革委员会"] == (2, {"on_track": 1, "overdue": 1})
    assert 'data-testid="total-overdue">3<' in html
    # a filter narrows the rows and the counts alike
    reform = world["units"]["reform"]
    with time_machine.travel(datetime(2025, 7, 15, 10, tzinfo=SHANGHAI), tick=False):
        narrowed = client.get(url, {"lead_unit": reform.pk})
    assert narrowed.context["count"] == 2
    assert dict(narrowed.context["inspection"].totals) == {"on_track": 1, "overdue": 1}


def test_the_pages_queries_do_not_grow_with_its_rows(supervised, world, client, monkeypatch):
    # the session, the user and its scope, the count, the page's rows and their supporting
    # units, the counts per document and per unit, the unread notifications, the session saved
    client.force_login(world["users"]["east"])
    url = reverse("policies:inspection")
    client.get(url)  # the first request of a session reads one thing more
    for size in (1, 50):
        monkeypatch.setattr(InspectionView, "page_size", size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) == 13, size


def test_the_counts_are_two_grouped_queries(supervised, django_assert_num_queries):
    tasks = with_status(PolicyTask.objects.all(), date(2025, 7, 15))
    with django_assert_num_queries(2):
        inspection = tally(tasks)
    assert [t.name for t in inspection.documents] == ["东城市开发区高质量发展行动方案"]
    assert inspection.documents[0].total == 5
