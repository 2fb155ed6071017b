"""企业诉求 in Debian's Chromium: an enterprise files a request in its portal, the dispatcher
assigns it (seeing a similar request), the tax bureau signs for it and answers, the enterprise
rates it, and the 动态清零 statistics and the inbox change."""

from typing import Any

import pytest

from conftest import make_user
from kaifaqu.servicerequests.actions import file_request
from kaifaqu.units.models import Membership, Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def signed_in(browser: Any, url: str, username: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/**")
    return page


def closed_figure(page: Any) -> str:
    row = page.locator("[data-testid=clearing-table] tbody tr", has_text="东城经济技术开发区")
    return row.locator("td").nth(2).inner_text()


def test_file_assign_answer_rate(live_server, province, browser, tmp_path):
    url = live_server.url
    textile = province["enterprises"]["东城纺织有限公司"]
    firm = make_user("firm", "enterprise_user", enterprise=textile)
    make_user("dispatcher", "province_analyst", region=province["province"])
    clerk = make_user("clerk", "zone_analyst")
    tax = Unit.objects.create(
        name="东城市税务局", kind="bureau", region=province["zones"]["east"].region.parent
    )
    Membership.objects.create(unit=tax, user=clerk)
    file_request(category="policy", description="研发费用加计扣除政策兑现进度", acting_user=firm)

    # the enterprise files in its portal
    enterprise = signed_in(browser, url, "firm")
    enterprise.click(".sidenav a[href='/requests/']")
    enterprise.click("[data-testid=file-request]")
    enterprise.select_option("select[name=category]", label="政策兑现")
    enterprise.fill("textarea[name=description]", "高新技术企业研发费用加计扣除政策兑现迟迟未到位")
    enterprise.get_by_role("button", name="保存").click()
    enterprise.wait_for_selector("[data-testid=stage]:has-text('待派单')")
    detail = enterprise.url

    # the dispatcher sees the statistics, then the request with its similar one, and assigns it
    dispatcher = signed_in(browser, url, "dispatcher")
    dispatcher.goto(f"{url}/requests/statistics/")
    assert closed_figure(dispatcher) == "0"
    dispatcher.goto(detail)
    assert dispatcher.locator("[data-testid=similar]").inner_text().count("同一企业") == 1
    form = dispatcher.locator("[data-testid=dispatch-form]")
    form.locator("select[name=lead_unit]").select_option(label="东城市税务局")
    form.locator("select[name=complexity]").select_option(label="简单")
    form.get_by_role("button", name="派单").click()
    dispatcher.wait_for_selector("[data-testid=stage]:has-text('待签收')")

    # the tax bureau hears of it, signs for it and answers
    unit = signed_in(browser, url, "clerk")
    assert unit.locator("[data-testid=unread-count]").inner_text() == "1"
    unit.click(".sidenav a[href='/requests/']")
    unit.click("[data-testid=unit-work]")
    unit.locator("#results a", has_text="SQ-").first.click()
    unit.get_by_role("button", name="签收").click()
    unit.wait_for_selector("[data-testid=stage]:has-text('办理中')")
    unit.fill("textarea[name=note]", "已完成加计扣除备案,款项本周内到账")
    unit.get_by_role("button", name="答复").click()
    unit.wait_for_selector("[data-testid=stage]:has-text('待回访')")

    # the enterprise reads the answer and rates it
    enterprise.goto(detail)
    assert "款项本周内到账" in enterprise.locator("[data-testid=reply]").inner_text()
    enterprise.locator("[data-testid=rate-form] label", has_text="基本满意").click()
    enterprise.get_by_role("button", name="提交评价").click()
    enterprise.wait_for_selector("[data-testid=stage]:has-text('已办结')")
    assert enterprise.locator("[data-testid=rating]").inner_text() == "基本满意"

    # the statistics changed: one closed, rated, 100% satisfied
    dispatcher.goto(f"{url}/requests/statistics/")
    assert closed_figure(dispatcher) == "1"
    row = dispatcher.locator("[data-testid=clearing-table] tbody tr", has_text="东城经济技术开发区")
    assert row.locator("td").nth(6).inner_text() == "100.0%"
    dispatcher.screenshot(path=str(tmp_path / "statistics.png"), full_page=True)
