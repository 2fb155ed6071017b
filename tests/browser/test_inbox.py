"""The inbox in Debian's Chromium: the header's count, opening a notification, reading all."""

import pytest

from conftest import make_user
from kaifaqu.notifications.actions import notify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_open_a_notification_then_read_the_rest(live_server, province, page):
    analyst = make_user("analyst", "province_analyst", region=province["province"])
    enterprise = province["enterprises"]["东城纺织有限公司"]
    notify([analyst], "assignment", enterprise, "新诉求已派单:东城纺织用工问题")
    notify([analyst], "overdue", enterprise, "督办事项逾期 1 个工作日")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-testid=unread-count]").inner_text() == "2"

    page.click("[data-testid=inbox-link]")
    page.wait_for_url(f"{live_server.url}/notifications/")
    page.get_by_role("button", name="新诉求已派单:东城纺织用工问题").click()
    page.wait_for_selector("h1:has-text('东城纺织有限公司')")
    assert page.locator("[data-testid=unread-count]").inner_text() == "1"

    page.click("[data-testid=inbox-link]")
    page.click("[data-testid=read-all]")
    page.wait_for_selector("[data-testid=messages]:has-text('已将 1 条通知标为已读')")
    assert page.locator("[data-testid=unread-count]").count() == 0
    assert page.locator("[data-testid=unread]").count() == 0
