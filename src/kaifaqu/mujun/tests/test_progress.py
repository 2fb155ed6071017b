"""The run page follows its evaluation job live (htmx polling) and reloads when it is done."""

from django.urls import reverse

from kaifaqu.jobs.models import Job
from kaifaqu.mujun import actions

from .conftest import evaluate_now

POLL = {"HX-Request": "true", "X-Kaifaqu-Poll": "1"}


def queued(scheme, rich_province, manager):
    return actions.start_run(
        scheme, year=2025, region=rich_province["province"], zone=None, acting_user=manager
    )


def test_the_run_page_polls_while_the_job_is_queued_and_reloads_when_done(
    client, scheme, rich_province, manager
):
    # given a run whose job is queued
    run = queued(scheme, rich_province, manager)
    client.force_login(manager)
    url = reverse("mujun:run", args=[run.pk])
    # then the page polls the run's own address every second, marked as a poll
    page = client.get(url).content.decode()
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert """hx-headers='{"X-Kaifaqu-Poll": "1"}'""" in page
    # and a poll gets only the progress fragment, still polling
    fragment = client.get(url, headers=POLL)
    body = fragment.content.decode()
    assert body.startswith('<section class="card job" id="run-progress"')
    assert 'data-testid="job-state">排队中</div>' in body
    assert 'hx-trigger="every 1s"' in body
    # when the worker has run the job, the next poll tells the browser to reload the page
    evaluate_now(run)
    done = client.get(url, headers=POLL)
    assert (done.status_code, done["HX-Refresh"], done.content) == (200, "true", b"")
    # and the reloaded page has no progress section left
    assert 'id="run-progress"' not in client.get(url).content.decode()


def test_a_failed_job_shows_its_error_and_stops_polling(client, scheme, rich_province, manager):
    run = queued(scheme, rich_province, manager)
    Job.objects.filter(pk=run.job_id).update(state="failed", error="示范错误")
    client.force_login(manager)
    page = client.get(reverse("mujun:run", args=[run.pk])).content.decode()
    assert '<p class="error" data-testid="job-error">示范错误</p>' in page
    assert "hx-trigger" not in page


def test_a_poll_outside_scope_is_404(client, scheme, rich_province, manager, zone_user):
    west = rich_province["zones"]["west"]
    run = actions.start_run(scheme, year=2025, region=west.region, zone=west, acting_user=manager)
    client.force_login(zone_user)
    assert client.get(reverse("mujun:run", args=[run.pk]), headers=POLL).status_code == 404
