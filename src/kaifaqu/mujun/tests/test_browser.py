"""In Debian's Chromium: start a run, follow its job live, 公示, publish, open a result card."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_run_publish_and_the_enterprise_card(live_server, rich_province, scheme, manager, page):
    # given the province manager and the 黄岩 scheme copied for the province
    page.goto(f"{live_server.url}/accounts/login/?next=/mujun/")
    page.fill("input[name=username]", "manager")
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/mujun/")

    # when the manager starts a 2025 run of the whole province
    form = page.locator("[data-testid=new-run]")
    form.locator("input[name=year]").fill("2025")
    form.get_by_role("button", name="开始计算").click()
    page.wait_for_selector("#run-progress[data-state=queued]")
    run = EvaluationRun.objects.get()
    assert page.url == f"{live_server.url}/mujun/runs/{run.pk}/"

    # then the page follows the job and reloads by itself once the worker has run it
    run_job(Job.objects.get(pk=run.job_id))
    page.wait_for_selector("[data-testid=run-state]:has-text('草稿')", timeout=15000)
    assert page.locator("#run-progress").count() == 0

    # when 公示 ran for a week that is over, and the list is published
    today = timezone.localdate()
    page.fill("[data-testid=publicity-form] input[name=start]", f"{today - timedelta(days=10)}")
    page.fill("[data-testid=publicity-form] input[name=end]", f"{today - timedelta(days=4)}")
    page.get_by_role("button", name="开始公示").click()
    page.wait_for_selector("[data-testid=run-state]:has-text('公示中')")
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
