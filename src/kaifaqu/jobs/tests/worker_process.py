"""A real `kaifaqu worker` process against the test database, for tests that kill it mid-job."""

import os
import subprocess
import sys
import time
from collections.abc import Callable

from django.db import connection


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
