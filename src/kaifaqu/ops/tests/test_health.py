"""/healthz and /readyz: unauthenticated, naming only which checks pass; ready turns unready when
the database, the migrations or the worker go away, and ready again when they return."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import F
from django.utils import timezone

from kaifaqu.jobs.models import WorkerBeat

pytestmark = pytest.mark.django_db

ALL_OK = {"database": "ok", "migrations": "ok", "worker": "ok", "disk": "ok"}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def readyz(client) -> tuple[int, dict]:
    response = client.get("/readyz")
    return response.status_code, response.json()


def test_healthz_answers_without_login_and_says_nothing_else(client):
    response = client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]


# the worker closes its connection after a batch, as it must outside a test's transaction
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ready_once_a_worker_is_heard_and_unready_when_it_goes_silent(client, settings):
    assert readyz(client) == (503, {"status": "unready", "checks": {**ALL_OK, "worker": "failed"}})

    call_command("worker", batch=True, verbosity=0)

    assert readyz(client) == (200, {"status": "ready", "checks": ALL_OK})
    # the worker stops: its last beat grows older than the stale limit
    WorkerBeat.objects.update(
        seen=F("seen") - timedelta(seconds=settings.KAIFAQU_JOB_STALE_SECONDS + 1)
    )
    assert readyz(client) == (503, {"status": "unready", "checks": {**ALL_OK, "worker": "failed"}})
    call_command("worker", batch=True, verbosity=0)
    assert readyz(client) == (200, {"status": "ready", "checks": ALL_OK})


def test_unready_while_a_migration_is_missing(client):
    WorkerBeat.objects.create(worker_id="w", host="h", pid=1, seen=timezone.now())
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="jobs").order_by("-name").first()
    last.delete()

    assert readyz(client) == (
        503,
        {"status": "unready", "checks": {**ALL_OK, "migrations": "failed"}},
    )

    recorder.record_applied("jobs", last.name)
    assert readyz(client)[0] == 200


def test_unready_below_the_disk_floor(client, settings):
    WorkerBeat.objects.create(worker_id="w", host="h", pid=1, seen=timezone.now())
    settings.KAIFAQU_DISK_FREE_MIN_MB = 10**12

    assert readyz(client) == (503, {"status": "unready", "checks": {**ALL_OK, "disk": "failed"}})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unready_while_the_database_is_unreachable_and_ready_when_it_returns(client):
    if connection.vendor != "postgresql":
        pytest.skip("moves the connection to a closed port; the in-memory SQLite test db cannot")
    WorkerBeat.objects.create(worker_id="w", host="h", pid=1, seen=timezone.now())
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = 1  # nothing listens there
    try:
        status, answer = readyz(client)
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    failed = {name: "failed" for name in ("database", "migrations", "worker")}
    assert (status, answer) == (503, {"status": "unready", "checks": {**ALL_OK, **failed}})
    assert client.get("/healthz").status_code == 200
    assert readyz(client) == (200, {"status": "ready", "checks": ALL_OK})


# the worker closes its connection after a batch, as it must outside a test's transaction
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_doctor_prints_checks_versions_and_settings_with_the_secret_masked(capsys):
    call_command("worker", batch=True, verbosity=0)
    call_command("doctor")

    out = capsys.readouterr().out
    assert "database     ok" in out
    assert "worker       ok" in out
    assert "gunicorn" in out
    assert "KAIFAQU_UPLOAD_MAX_MB                50" in out
    assert "test-only-not-secret" not in out
    assert "SECRET_KEY                           ****" in out
