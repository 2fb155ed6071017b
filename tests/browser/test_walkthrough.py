"""A first visit in Debian's Chromium: log in, open a zone, open one of its enterprises."""

import pytest

from conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_login_zone_enterprise(live_server, province, page, tmp_path):
    make_user("analyst", "province_analyst", region=province["province"])

    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/"
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("[data-testid=kpi-zones]").inner_text().startswith("3")

    page.click(".sidenav a[href='/zones/']")
    page.wait_for_url(f"{live_server.url}/zones/")
    page.get_by_role("link", name="东城经济技术开发区").click()
    page.wait_for_selector("h1:has-text('东城经济技术开发区')")

    page.get_by_role("link", name="查看本区企业 ›").click()
    page.wait_for_selector("[data-testid=result-count]")
    assert page.locator("[data-testid=result-count]").inner_text() == "2"
    page.get_by_role("link", name="东城纺织有限公司").click()
    page.wait_for_selector("h1:has-text('东城纺织有限公司')")
    rows = page.locator("[data-testid=enterprise-statistics] tbody tr")
    assert rows.first.inner_text().split("\t")[:4] == ["营业收入", "万元", "2,001.00", "3,001.50"]
    # Every chart drew an SVG (ECharts loaded from our own static files, not a CDN)
    assert page.locator(".chart svg").count() == 4
    page.screenshot(path=str(tmp_path / "enterprise.png"), full_page=True)
