"""招商 in Debian's Chromium: a lead becomes a signed project, is registered, starts, and the
problem blocking it, registered as a ZS item, is closed by the unit responsible for it."""

import pytest

from conftest import make_user
from kaifaqu.units.models import Membership, Unit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def advance(page, files=None, **fields):
    page.click("[data-testid=advance]")
    page.wait_for_selector("[data-testid=action-form]")
    for name, value in fields.items():
        page.fill(f"[name={name}]", value)
    if files:
        page.set_input_files("input[name=documents]", files)
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-testid=stage]")


def test_a_lead_is_signed_registered_started_and_its_blocked_item_closed(
    live_server, province, page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    east = province["zones"]["east"]
    land = Unit.objects.create(name="东城市自然资源局", kind="bureau", region=east.region.parent)
    make_user("east_staff", "zone_analyst", zones=(east,))
    clerk = make_user("land_clerk", "city_analyst", region=east.region.parent)
    Membership.objects.create(unit=land, user=clerk)
    contract = {"name": "合同.pdf", "mimeType": "application/pdf", "buffer": PDF}

    log_in(page, base, "east_staff")
    page.click(".sidenav a[href='/investment/']")
    page.click("[data-testid=new-project]")
    page.select_option("#id_zone", label="东城经济技术开发区")
    page.fill("#id_name", "新能源电池材料项目")
    page.fill("#id_investor", "华创新能源集团")
    page.click(".edit-form button[type=submit]")
    page.wait_for_selector("h1:has-text('新能源电池材料项目')")
    assert page.locator("[data-testid=stage]").inner_text() == "线索"

    advance(page)
    advance(page)
    assert page.locator("[data-testid=stage]").inner_text() == "洽谈"
    # 签约 without its contract is refused and nothing changes
    page.click("[data-testid=advance]")
    page.fill("[name=contract_amount]", "52000")
    page.click("[data-testid=action-form] button[type=submit]")
    assert "签约须上传签约合同" in page.locator("[data-testid=form-error]").inner_text()
    page.go_back()
    page.go_back()
    page.reload()
    advance(page, files=[contract], contract_amount="52000")
    assert page.locator("[data-testid=stage]").inner_text() == "签约"
    assert page.locator("[data-testid=total-investment]").inner_text() == "5.20 亿元"

    uscc = province["enterprises"]["东城纺织有限公司"].uscc
    advance(page, uscc=uscc)
    assert page.locator("[data-testid=enterprise]").inner_text() == "东城纺织有限公司"
    advance(page, files=[{**contract, "name": "施工许可证.pdf"}])
    assert page.locator("[data-testid=stage]").inner_text() == "开工"
    timeline = page.locator("[data-testid=timeline]").inner_text()
    assert "注册 → 开工" in timeline
    assert "施工许可证.pdf" in timeline

    page.click("[data-testid=register-problem]")
    page.fill("#id_title", "用地指标未落实")
    page.select_option("#id_level", label="市级")
    page.select_option("#id_lead_unit", label="东城市自然资源局")
    page.click("[data-testid=action-form] button[type=submit]")
    page.wait_for_selector("[data-testid=problems] a")
    problems = page.locator("[data-testid=problems]").inner_text()
    assert "ZS-" in problems
    assert "东城市自然资源局" in problems
    assert "待签收" in problems
    project_url = page.url
    number = page.locator("[data-testid=problems] a").first.inner_text()
    page.click("form[action='/accounts/logout/'] button")

    log_in(page, base, "land_clerk")
    page.goto(f"{base}/supervision/")
    page.get_by_role("link", name=number).click()
    page.click("button:has-text('签收')")
    page.fill("form[action$='/complete/'] input[name=note]", "用地指标已下达")
    page.click("button:has-text('办结')")
    page.wait_for_selector("[data-testid=item-log]")
    assert "已办结" in page.inner_text(".page-head")
    page.click("form[action='/accounts/logout/'] button")

    log_in(page, base, "east_staff")
    page.goto(project_url)
    problems = page.locator("[data-testid=problems]").inner_text()
    assert "已办结" in problems
    assert "用地指标已下达" in problems
    page.screenshot(path=str(tmp_path / "project.png"), full_page=True)
