import logging
import os
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import OperationalError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TASKS_LOGGER
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from kaifaqu.jobs.actions import reap_stale_jobs, record_worker_beat
from kaifaqu.jobs.periodic import start_due_jobs

INTERVAL = 1.0  # seconds between two looks at the schedules and the queue when idle
# A worker tells it is alive at most this often: often enough for any stale limit of a minute or
# more, rarely enough not to write to the database on every loop.
BEAT_EVERY = 10.0


class Command(BaseCommand):
    help = (
        "Run the background job worker (the database task worker), after reaping dead jobs: on "
        "each loop it starts the periodic jobs that are due, then runs the queued jobs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="start due periodic jobs, run queued jobs, then exit",
        )

    def handle(self, *args: Any, batch: bool, verbosity: int, **options: Any) -> None:
        reaped = reap_stale_jobs()
        if reaped:
            self.stderr.write(f"{reaped} 个中断的任务已标记为失败")
        # a line as each task starts and ends, as the database worker prints them
        logging.getLogger(TASKS_LOGGER).setLevel(logging.INFO if verbosity else logging.WARNING)
        # the queue is drained by django-tasks-db's own worker, one batch per loop
        worker = Worker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if settings.DEBUG and not batch:
            # as the database worker does in development: restart on code changes, and only the
            # child process, which runs the loop, handles the stop signals
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(self.loop, worker, batch=False)
            return
        worker.configure_signals()
        try:
            self.loop(worker, batch=batch)
        finally:
            worker.reset_signals()

    def loop(self, worker: Worker, *, batch: bool) -> None:
        """Start the due periodic jobs, run every queued job, wait; once with ``batch``. A stop
        signal lets a running task end, then ends the loop."""
        last_beat = -BEAT_EVERY
        while worker.running:
            if time.monotonic() - last_beat >= BEAT_EVERY:
                self.beat(worker.worker_id)
                last_beat = time.monotonic()
            self.start_due_jobs()
            worker.run()
            if batch:
                return
            time.sleep(INTERVAL)

    def beat(self, worker_id: str) -> None:
        try:
            record_worker_beat(worker_id)
        except OperationalError as error:
            # the embedded database busy: the next loop tells instead
            if not is_locked_database_exception(error):
                raise

    def start_due_jobs(self) -> None:
        try:
            start_due_jobs()
        except OperationalError as error:
            # the embedded database busy past its timeout: the schedules wait for the next loop
            if not is_locked_database_exception(error):
                raise
