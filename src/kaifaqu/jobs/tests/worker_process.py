"""A real `kaifaqu worker` process against the test database, for tests that kill it mid-job."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from django.db import connection, transaction


def start_worker() -> subprocess.Popen[bytes]:
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    return subprocess.Popen(
        [sys.executable, "-m", "kaifaqu", "worker"],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def kill_worker_stuck_on(table: str, condition: Callable[[], bool]) -> None:
    """Start a worker, kill it once ``condition`` holds while ``table`` is locked here (so it is
    stuck writing there), and wait until the server has ended its session: the server notices a
    killed client only when the lock is gone, and the test database cannot be dropped before."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        worker = start_worker()
        try:
            wait_for(condition)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            worker.kill()
    wait_for(_no_other_session)


def _no_other_session() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] == 0
