"""A real worker process killed mid-job: the job ends failed, and nothing partial is left."""

import pytest
from django.db import connection
from django.urls import reverse

from kaifaqu.jobs.actions import WORKER_LOST, create_job, run_job_task
from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.tests.worker_process import kill_worker_stuck_on
from kaifaqu.zones.models import ZoneYearSummary

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_killed_worker_leaves_the_job_failed(province, province_analyst, client, settings):
    if connection.vendor != "postgresql":
        pytest.skip("holds a table lock to stop the worker mid-job; SQLite locks the whole file")
    job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    run_job_task.enqueue(str(job.pk))

    # Given a worker stuck in the job's final write (its progress already reported), when killed
    kill_worker_stuck_on(
        "zones_zoneyearsummary",
        lambda: Job.objects.filter(pk=job.pk, state=JobState.RUNNING, done=3).exists(),
    )

    assert Job.objects.get(pk=job.pk).state == JobState.RUNNING
    # Then, once its heartbeat is stale, the job page shows it failed, with no partial result
    settings.KAIFAQU_JOB_STALE_SECONDS = 0
    client.force_login(province_analyst)
    page = client.get(reverse("jobs:job", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, WORKER_LOST)
    assert WORKER_LOST in page
    assert not ZoneYearSummary.objects.exists()
