"""The jobs page: the user's own jobs, newest first, paged, as cheap for 200 rows as for 10."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaifaqu.assessment.actions import start_run
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db

# session, user, profile (+ zones), the page's rows, their owners (whose scope finds the result
# links), its count, the schedules, the header's unread notifications and the idle-timeout stamp
# saved to the session
LIST_QUERIES = 12


def add_jobs(rows: range, user) -> None:
    start = timezone.now()
    for i in rows:
        job = Job.objects.create(
            kind="zone_summaries", key=f"{i}", user=user, request_id=uuid.uuid4(), state="succeeded"
        )
        # created in order, one minute apart: row i is the i-th oldest
        Job.objects.filter(pk=job.pk).update(created=start + timedelta(minutes=i))


def queries(client, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_list_query_count_does_not_grow_with_rows(analyst_client, province_analyst):
    url = reverse("jobs:job_list")
    analyst_client.get(url)  # the session's first request also settles the second-factor check
    add_jobs(range(10), province_analyst)
    ten = queries(analyst_client, url)
    add_jobs(range(10, 200), province_analyst)
    assert (ten, queries(analyst_client, url)) == (LIST_QUERIES, LIST_QUERIES)


def test_list_pages_newest_first_through_every_job(analyst_client, province_analyst, zone_user):
    add_jobs(range(120), province_analyst)
    add_jobs(range(3), zone_user)
    url = reverse("jobs:job_list")
    first = analyst_client.get(url)
    keys = [int(job.key) for job in first.context["page"].rows]
    assert (first.context["count"], keys) == (120, list(range(119, 69, -1)))
    second = analyst_client.get(f"{url}?{first.context['page'].next.query}")
    assert [int(job.key) for job in second.context["page"].rows] == list(range(69, 19, -1))
    last = analyst_client.get(url, {"last": "1"})
    assert [int(job.key) for job in last.context["page"].rows] == list(range(19, -1, -1))


def test_each_finished_job_links_its_result_as_its_own_page_does(
    analyst_client, province, province_analyst, settings, tmp_path
):
    # given a finished assessment run, a finished list export and a job still queued
    settings.MEDIA_ROOT = tmp_path
    seed_provincial(dict(province["zones"]), 2025)
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    params = {"kind": "zones", "query": ""}
    export = run_job(create_job("list_export", params, acting_user=province_analyst)[0])
    queued, _ = create_job("zone_summaries", {}, acting_user=province_analyst)

    page = analyst_client.get(reverse("jobs:job_list"))

    cells = {job.pk: cell for job, cell in result_cells(page)}
    assert cells[run.job_id] == [("考核运行", run.get_absolute_url())]
    assert cells[export.pk] == [("下载文件", reverse("jobs:file", args=[export.pk]))]
    assert cells[queued.pk] == []
    # the job's own page links the same places
    detail = analyst_client.get(reverse("jobs:job", args=[run.job_id])).content.decode()
    assert f'<a href="{run.get_absolute_url()}">' in detail
    detail = analyst_client.get(reverse("jobs:job", args=[export.pk])).content.decode()
    assert f'href="{reverse("jobs:file", args=[export.pk])}"' in detail


def result_cells(page) -> list[tuple[Job, list[tuple[str, str]]]]:
    """Each row's job and the links of its 结果 cell (text, address)."""
    html = page.content.decode()
    rows = []
    for job in page.context["page"].rows:
        start = html.index(f'href="{reverse("jobs:job", args=[job.pk])}"')
        row = html[start : html.index("</tr>", start)]
        cell = row[row.rindex("<td") :]
        rows.append((job, re.findall(r'<a href="([^"]+)" title="[^"]*">([^<]+)</a>', cell)))
    return [(job, [(text, url) for url, text in links]) for job, links in rows]
