"""Under the Content-Security-Policy, Chromium draws the charts, the bars and the API docs and
reports no violation: everything the pages run and style comes from the platform's own files."""

import pytest

from conftest import make_user
from kaifaqu.jobs.actions import create_job
from kaifaqu.jobs.models import Job

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server) -> list[str]:
    """Log the analyst in; the console's errors and warnings of every page after are collected."""
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "analyst")
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
