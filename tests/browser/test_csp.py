"""Under the Content-Security-Policy, Chromium draws the charts, the bars and the API docs and
reports no violation: everything the pages run and style comes from the platform's own files."""

from decimal import Decimal

import pytest

from conftest import make_user
from kaifaqu.jobs.actions import create_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.actions import add_points
from kaifaqu.mujun.models import PointsEntry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, username="analyst") -> list[str]:
    """Log a user in; the console's errors and warnings of every page after are collected."""
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return problems


def test_charts_bars_and_docs_run_with_no_policy_violation(live_server, province, page):
    analyst = make_user("analyst", "province_analyst", region=province["province"])
    job, _ = create_job("zone_summaries", {}, acting_user=analyst)
    Job.objects.filter(pk=job.pk).update(state="running", done=2, total=5)
    enterprise = province["enterprises"]["东城纺织有限公司"]

    problems = log_in(page, live_server)
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    page.wait_for_selector(".chart svg")
    charts = page.locator(".chart svg").count()
    page.goto(f"{live_server.url}/jobs/{job.pk}/")
    # The bar's width comes from its data-width, set again after every htmx poll (each second).
    page.wait_for_timeout(1500)
    bar_width = page.locator("#job-progress .bar").evaluate("el => el.style.width")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")

    assert charts == 4
    assert bar_width == "40%"
    assert problems == []


def test_a_delete_asks_first_and_an_answer_of_no_keeps_the_entry(
    live_server, province, zone_user, page
):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    entry = add_points(
        enterprise,
        year=2025,
        kind="bonus",
        points=Decimal("1"),
        item="节能技改",
        evidence="淮工信〔2025〕12号",
        acting_user=zone_user,
    )
    questions: list[str] = []

    problems = log_in(page, live_server, "east_staff")
    page.goto(f"{live_server.url}/mujun/points/")
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.click("[data-testid=points] button[type=submit]")
    kept = PointsEntry.objects.filter(pk=entry.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("[data-testid=points] button[type=submit]")

    assert questions == ["删除这条记录?已计算的评价批次不受影响,重新计算后生效。"]
    assert kept
    assert not PointsEntry.objects.filter(pk=entry.pk).exists()
    assert problems == []
