"""The jobs page: the user's own jobs, newest first, paged, as cheap for 200 rows as for 10."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db

# session, user, profile (+ zones), the page's rows, its count, the schedules, the header's
# unread notifications and the idle-timeout stamp saved to the session
LIST_QUERIES = 11


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
