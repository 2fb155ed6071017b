"""Policy tasks in Debian's Chromium: a bureau uploads a document and confirms a task, the zone's
committee reports progress, and the 督查 shows the report."""

import pytest

from conftest import make_user
from kaifaqu.policies.tests.conftest import TEXT
from kaifaqu.units.models import Membership, Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "pass-for-tests-2026"


def log_in(page, server, username):
    page.context.clear_cookies()
    page.goto(f"{server}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")


def test_upload_confirm_report_inspect(live_server, province, page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    zones = province["zones"]
    city = zones["east_htz"].region
    committee = Unit.objects.create(
        name="东城经济技术开发区管委会", kind="zone_committee", region=zones["east"].region,
        zone=zones["east"],
    )  # fmt: skip
    Unit.objects.create(
        name="东城高新技术产业开发区管委会", kind="zone_committee", region=city,
        zone=zones["east_htz"],
    )  # fmt: skip
    make_user("bureau", "city_analyst", region=city)
    Membership.objects.create(
        unit=committee, user=make_user("committee", "zone_analyst", zones=(zones["east"],))
    )
    server = live_server.url
    source = tmp_path / "行动方案.txt"
    source.write_text(TEXT, encoding="utf-8")

    log_in(page, server, "bureau")
    page.click(".sidenav a[href='/policies/']")
    page.click("[data-testid=upload]")
    page.set_input_files("input[name=file]", str(source))
    page.select_option("select[name=region]", str(city.pk))
    page.click("[data-testid=upload-form] button[type=submit]")
    page.wait_for_selector("h1:has-text('东城市开发区高质量发展行动方案')")
    assert page.locator("[data-testid=open-count]").inner_text() == "3 项"
    # the text marks where each unit came from
    assert page.locator("[data-testid=document-text] .hl-lead").first.inner_text() == "市商务局"
    card = page.locator("[data-testid=proposal]", has_text="推进园区提质")
    card.locator("[data-testid=confirm]").click()
    page.wait_for_selector("[data-testid=document-tasks]")
    assert page.locator("[data-testid=open-count]").inner_text() == "2 项"
    assert page.locator("[data-testid=document-tasks] tbody tr").count() == 2  # two committees

    page.goto(f"{server}/policies/inspection/")
    rows = page.locator("[data-testid=inspection-rows] tbody tr")
    assert rows.count() == 2
    assert "未报送" in rows.first.inner_text()

    log_in(page, server, "committee")
    page.goto(f"{server}/policies/tasks/")
    page.get_by_role("link", name="RW-", exact=False).first.click()
    page.fill("textarea[name=text]", "完成园区道路提升工程")
    page.click("[data-testid=submit-report]")
    page.wait_for_selector("[data-testid=reports] :text('完成园区道路提升工程')")

    log_in(page, server, "bureau")
    page.goto(f"{server}/policies/inspection/")
    text = page.locator("[data-testid=inspection-rows]").inner_text()
    assert "完成园区道路提升工程" in text
    assert text.count("未报送") == 1
    page.screenshot(path=str(tmp_path / "inspection.png"), full_page=True)
