"""Two real `kaifaqu worker` processes racing for the same queued jobs: each job runs once."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from conftest import make_user
from kaifaqu.jobs.actions import enqueue_job
from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

JOBS = 8


def test_two_workers_racing_run_each_queued_job_once(province):
    if connection.vendor != "postgresql":
        pytest.skip(
            "two processes claiming at once: SQLite's in-memory test database is not shared"
        )
    # distinct owners, so the jobs are distinct (identical requests share one job)
    jobs = [
        enqueue_job(
            "import_cleanup",
            {},
            acting_user=make_user(f"analyst{i}", "province_analyst", region=province["province"]),
        )
        for i in range(JOBS)
    ]
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "kaifaqu", "worker", "--batch", "-v0"],
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]

    # each job's one JSON log line was written by one worker only, and every job succeeded
    runs = [
        json.loads(line)["job_id"]
        for output in outputs
        for line in output.splitlines()
        if line.startswith("{") and json.loads(line).get("kind") == "job"
    ]
    assert sorted(runs) == sorted(str(job.pk) for job in jobs)
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.SUCCEEDED}
    assert [len(result.worker_ids) for result in DBTaskResult.objects.all()] == [1] * JOBS
