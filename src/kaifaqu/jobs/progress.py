import time
from collections.abc import Callable

from django.utils import timezone

from kaifaqu.jobs.models import Job

Echo = Callable[[int, int | None, str], None]


class Progress:
    """Reports a job's progress to its row (read by the polling page) and optionally to a terminal.

    Updates are plain autocommitted writes outside the job's own transaction, so the page sees them
    while the job runs; they double as the heartbeat that tells a live worker from a dead one.
    """

    min_interval = 0.5  # seconds between database updates

    def __init__(self, job: Job, echo: Echo | None = None) -> None:
        self.job = job
        self.echo = echo
        self._last_write = 0.0

    def start(self, total: int | None, message: str) -> None:
        self.job.done, self.job.total, self.job.message = 0, total, message
        self._write(force=True)

    def advance(self, step: int = 1, message: str | None = None) -> None:
        self.job.done += step
        if message is not None:
            self.job.message = message[:200]
        self._write(force=self.job.done == self.job.total)

    def _write(self, *, force: bool) -> None:
        if self.echo is not None:
            self.echo(self.job.done, self.job.total, self.job.message)
        now = time.monotonic()
        if not force and now - self._last_write < self.min_interval:
            return
        self._last_write = now
        self.job.heartbeat = timezone.now()
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done,
            total=self.job.total,
            message=self.job.message,
            heartbeat=self.job.heartbeat,
        )
