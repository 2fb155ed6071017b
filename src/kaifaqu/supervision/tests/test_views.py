"""The pages: the list with overdue days, the item page's buttons, the board by level, exports."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from kaifaqu.supervision import actions
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import SupervisedItem

pytestmark = pytest.mark.django_db

NOON = datetime(2025, 10, 13, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def overdue(world):
    """The world's item with the committee, due 30 September 2025, seen on 13 October: four
    working days late (10/9, 10/10, 10/11, 10/13), escalated to the city's board."""
    item, users = world["item"], world["users"]
    actions.assign(item, lead_unit=world["units"]["committee"], acting_user=users["east"])
    actions.accept(item, acting_user=users["clerk"])
    SupervisedItem.objects.filter(pk=item.pk).update(deadline=date(2025, 9, 30))
    actions.escalate(acting_user=None, today=date(2025, 10, 13))
    return item


def sheet_rows(response) -> list[tuple]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.active.iter_rows(values_only=True))


def test_list_shows_overdue_working_days(client, world, overdue):
    client.force_login(world["users"]["east"])
    with time_machine.travel(NOON, tick=False):
        response = client.get(reverse("supervision:item_list"), {"overdue": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "SQ-2025-0001" in body
    assert '<td class="num">4</td>' in body
    with time_machine.travel(NOON, tick=False):
        response = client.get(reverse("supervision:item_list"), {"overdue": "false"})
    assert "SQ-2025-0001" not in response.content.decode()


def test_item_page_buttons_post_the_transitions(client, world):
    item, users = world["item"], world["users"]
    client.force_login(users["east"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("supervision:assign", args=[item.pk]) in page
    response = client.post(
        reverse("supervision:assign", args=[item.pk]),
        {"lead_unit": world["units"]["committee"].pk, "note": "请办理"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "assigned"
    client.force_login(users["clerk"])
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("supervision:accept", args=[item.pk]) in page
    assert reverse("supervision:assign", args=[item.pk]) not in page
    client.post(reverse("supervision:accept", args=[item.pk]))
    client.post(reverse("supervision:return", args=[item.pk]), {"note": "非本单位职责"})
    item.refresh_from_db()
    assert (item.state, item.lead_unit) == ("returned", None)


def test_a_refused_transition_is_a_message_and_changes_nothing(client, world):
    item, users = world["item"], world["users"]
    client.force_login(users["clerk"])  # not yet its unit's: the item is not even visible
    assert client.post(reverse("supervision:accept", args=[item.pk])).status_code == 404
    client.force_login(users["east"])
    response = client.post(reverse("supervision:accept", args=[item.pk]), follow=True)
    assert "只有牵头单位的成员可以签收" in response.content.decode()
    item.refresh_from_db()
    assert item.state == "registered"


def test_a_deadline_in_a_year_without_a_calendar_is_marked_on_the_page(client, world):
    item = actions.create_item(
        kind=world["item"].kind, title="远期", region=world["item"].region,
        level=Level.DISTRICT, opened=date(2030, 9, 30), acting_user=world["users"]["east"],
    )  # fmt: skip
    client.force_login(world["users"]["east"])
    body = client.get(item.get_absolute_url()).content.decode()
    assert 'data-testid="deadline-estimated"' in body
    body = client.get(world["item"].get_absolute_url()).content.decode()
    assert 'data-testid="deadline-estimated"' not in body


def test_the_board_shows_a_supervisor_its_level_and_below(client, world, overdue):
    users = world["users"]
    assert SupervisedItem.objects.get(pk=overdue.pk).level == Level.CITY
    expected = {"province": True, "east": True, "zone": False, "west": False, "clerk": True}
    for role, sees in expected.items():
        client.force_login(users[role])
        body = client.get(reverse("supervision:board")).content.decode()
        assert ("SQ-2025-0001" in body) == sees, role
    client.force_login(users["province"])
    with time_machine.travel(NOON, tick=False):
        rows = sheet_rows(client.get(reverse("supervision:board_export")))
    assert rows[0] == (
        "编号", "事项", "类型", "所在区划", "层级", "牵头单位", "状态", "亮灯", "登记日期",
        "办理时限", "逾期(工作日)", "时限按官方日历",
    )  # fmt: skip
    assert rows[1][0] == "SQ-2025-0001"
    assert rows[1][4:8] == ("市级", "东城经开区管委会", "办理中", "红灯")
    assert rows[1][10:] == (4, "是")


def test_the_list_export_follows_the_filters(client, world, overdue):
    url = reverse("supervision:item_list")
    client.force_login(world["users"]["west"])
    assert len(sheet_rows(client.get(url, {"export": "xlsx"}))) == 1  # header only
    client.force_login(world["users"]["east"])
    body = client.get(url).content.decode()
    assert body.count('data-testid="export-xlsx"') == 1  # the list's own export, once
    rows = sheet_rows(client.get(url, {"state": "in_progress", "export": "xlsx"}))
    assert [row[0] for row in rows[1:]] == ["SQ-2025-0001"]
    assert rows[1][3] == world["item"].region.name
    assert client.get(url, {"state": "done", "export": "csv"}).status_code == 200
