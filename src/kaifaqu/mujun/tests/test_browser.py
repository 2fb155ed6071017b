"""In Debian's Chromium: the analyst starts a run, follows its job live, opens the 公示 and
decides an objection; the manager publishes; a result card."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from conftest import make_user
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.actions import file_objection
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_the_analyst_runs_the_publicity_and_the_manager_publishes(
    live_server, rich_province, scheme, manager, province_analyst, page
):
    # given the province's analyst and the 黄岩 scheme copied for the province
    log_in(page, live_server, "analyst", "/mujun/")

    # when the analyst starts a 2025 run of the whole province
    form = page.locator("[data-testid=new-run]")
    form.locator("input[name=year]").fill("2025")
    form.get_by_role("button", name="开始计算").click()
    page.wait_for_selector("#run-progress[data-state=queued]")
    run = EvaluationRun.objects.get()
    run_url = f"{live_server.url}/mujun/runs/{run.pk}/"
    assert page.url == run_url

    # then the page follows the job and reloads by itself once the worker has run it
    run_job(Job.objects.get(pk=run.job_id))
    page.wait_for_selector("[data-testid=run-state]:has-text('草稿')", timeout=15000)
    assert page.locator("#run-progress").count() == 0

    # when the analyst opens the 公示 over the window the form proposes: from today, 3 days
    today = timezone.localdate()
    publicity = page.locator("[data-testid=publicity-form]")
    assert publicity.locator("input[name=start]").input_value() == f"{today}"
    assert publicity.locator("input[name=end]").input_value() == f"{today + timedelta(days=2)}"
    page.get_by_role("button", name="开始公示").click()
    page.wait_for_selector("[data-testid=run-state]:has-text('公示中')")
    assert page.locator("[data-testid=publicity-opened]").inner_text().endswith("· analyst")
    assert page.locator("[data-testid=publish]").count() == 0  # publishing is the manager's

    # and an enterprise objects, which the analyst rejects with a note
    objected = EvaluationResult.objects.get(run=run, enterprise__name="东城纺织有限公司")
    file_objection(
        objected,
        reason="用地面积有误",
        evidence="不动产权证",
        acting_user=make_user("ent", "enterprise_user", enterprise=objected.enterprise),
    )
    page.reload()
    page.click("[data-testid=objections-link]")
    row = page.locator("[data-testid=objections] tbody tr").first
    row.locator("input[name=note]").fill("面积以不动产登记为准")
    row.get_by_role("button", name="不采纳").click()
    page.wait_for_selector("[data-testid=objections] td:has-text('未采纳')")
    assert Objection.objects.get().state == "rejected"

    # then once the window is over, the manager publishes
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        log_in(page, live_server, "manager", f"/mujun/runs/{run.pk}/")
        page.click("[data-testid=publish]")
        page.wait_for_selector("[data-testid=run-state]:has-text('已发布')")

    # then an enterprise's card shows its published grade and figures
    result = EvaluationResult.objects.select_related("enterprise").get(
        run=run, enterprise__name="高新电子有限公司"
    )
    page.get_by_role("link", name="高新电子有限公司").click()
    page.wait_for_selector("h1:has-text('高新电子有限公司')")
    assert page.locator("[data-testid=grade]").inner_text() == "B(鼓励提升类)"
    kpis = page.locator(".kpi .value").all_inner_texts()
    assert kpis[:3] == ["B(鼓励提升类)", "116.53", "3"]
    assert (result.grade, str(result.total), result.pool_rank) == ("B", "116.53", 3)
    first = page.locator("[data-testid=indicators] tbody tr").first.inner_text().split("\t")
    assert first[:5] == ["亩均税收", "万元/亩", "7.5000", "24.0970", "30.0"]

    # and the simulator on the card grades more tax without writing anything
    page.fill("[data-testid=simulator-form] input[name=tax_paid]", "5000")
    page.get_by_role("button", name="测算").click()
    page.wait_for_selector("[data-testid=simulated-grade]")
    assert page.locator("[data-testid=simulated-grade]").inner_text() == "A(优先发展类)"
    assert EvaluationResult.objects.get(pk=result.pk).grade == "B"
