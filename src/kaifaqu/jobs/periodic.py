"""Periodic jobs: the claim that starts the job of each period of a schedule once.

A schedule is due when its ``next_run`` has passed. Starting it is a compare-and-set: one UPDATE
moves ``next_run`` past now on the condition that it still holds the value read, so of several
workers that saw the same due schedule exactly one moves it, and only that one enqueues the job
(on PostgreSQL the second UPDATE waits for the first and then matches no row; on SQLite the
immediate transactions take turns). The new ``next_run`` is the first time after now, so a worker
that was down for three nights runs the job once when it comes back, not three times.
"""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kaifaqu.core.cli import SYSTEM_USERNAME
from kaifaqu.jobs.actions import enqueue_job
from kaifaqu.jobs.models import Job, Schedule
from kaifaqu.jobs.registry import schedulable_kinds

logger = logging.getLogger(__name__)


def start_due_jobs(now: datetime | None = None) -> list[Job]:
    """Enqueue the job of every enabled schedule whose time has come (claimed once per period)
    and plan the schedules never planned; returns the jobs this caller started."""
    now = now or timezone.now()
    schedules = Schedule.objects.filter(
        enabled=True, kind__in=[code for code, _ in schedulable_kinds()]
    )
    for schedule in schedules.filter(next_run__isnull=True):
        _plan(schedule, now)
    started = []
    for schedule in schedules.filter(next_run__lte=now).order_by("pk"):
        job = start_period(schedule, now)
        if job is not None:
            started.append(job)
    return started


def _plan(schedule: Schedule, now: datetime) -> None:
    """A new schedule's first run: its next time after now (it does not run on being added)."""
    following = schedule.next_after(now)
    Schedule.objects.filter(pk=schedule.pk, next_run__isnull=True).update(next_run=following)


def claim(schedule: Schedule, now: datetime) -> bool:
    """Take the period ``schedule`` was read in: True for the one caller whose UPDATE found
    ``next_run`` unchanged, False for everyone else."""
    following = schedule.next_after(now)
    claimed = Schedule.objects.filter(
        pk=schedule.pk, enabled=True, next_run=schedule.next_run
    ).update(last_run=now, next_run=following)
    return claimed == 1


def start_period(schedule: Schedule, now: datetime) -> Job | None:
    """Claim the period ``schedule`` was read in and enqueue its job, in one transaction so a
    claim never goes without its job; None if another caller claimed the period first."""
    with transaction.atomic():
        if not claim(schedule, now):
            return None
        system = get_user_model().objects.get(username=SYSTEM_USERNAME)
        job = enqueue_job(schedule.kind, {}, acting_user=system)
        Schedule.objects.filter(pk=schedule.pk).update(last_job=job)
    logger.info("periodic job %s started: %s (%s)", schedule.kind, job.pk, schedule.describe)
    return job
