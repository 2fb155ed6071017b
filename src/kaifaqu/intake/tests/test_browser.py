"""In Debian's Chromium: a clerk's download keeps its Chinese file name and extension."""

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_downloaded_template_keeps_its_chinese_name(live_server, zone_user, page):
    # Given a zone's clerk on the import page
    page.goto(f"{live_server.url}/accounts/login/?next=/intake/")
    page.fill("input[name=username]", "east_staff")
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/intake/")
    # When the clerk downloads the enterprises' template
    with page.expect_download() as started:
        page.get_by_role("link", name="企业名录导入模板(xlsx)").click()
    download = started.value
    # Then the browser saves it under its Chinese name, as a workbook
    assert download.suggested_filename == "企业名录导入模板.xlsx"
    assert download.failure() is None
