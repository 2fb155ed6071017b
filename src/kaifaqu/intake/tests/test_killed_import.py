"""On PostgreSQL, an import whose worker is killed mid-write leaves no partial batch."""

import pytest
from django.db import connection

from kaifaqu.audit.models import ObjectChange
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake.actions import create_batch
from kaifaqu.intake.models import ImportBatch
from kaifaqu.intake.tests.test_import import years_file
from kaifaqu.jobs.actions import create_job, run_job_task
from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.tests.worker_process import kill_worker_stuck_on

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_killed_import_leaves_nothing_behind(province, zone_user):
    if connection.vendor != "postgresql":
        pytest.skip("holds a table lock to stop the worker mid-write; SQLite locks the whole file")
    usccs = {name: e.uscc for name, e in province["enterprises"].items()}
    batch = create_batch(years_file(usccs), "年报.xlsx", "enterprise-years", acting_user=zone_user)
    job, _ = create_job("import_commit", {"batch": batch.pk}, acting_user=zone_user)
    run_job_task.enqueue(str(job.pk))

    # Given a worker stuck writing the rows (the table is locked), when it is killed
    kill_worker_stuck_on(
        "enterprises_enterpriseyear",
        lambda: Job.objects.filter(pk=job.pk, state=JobState.RUNNING).exists(),
    )

    # Then nothing of the import is in the database, and the batch is not marked imported
    assert not EnterpriseYear.objects.filter(year=2023).exists()
    assert not ObjectChange.objects.filter(request_id=batch.request_id).exists()
    assert ImportBatch.objects.get(pk=batch.pk).state == "uploaded"
