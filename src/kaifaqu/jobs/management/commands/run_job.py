import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kaifaqu.core.cli import acting_user_from, add_as_argument
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.registry import JOB_KINDS, JobError
from kaifaqu.jobs.terminal import progress_printer


class Command(BaseCommand):
    help = "Run a background job in the foreground, with a progress bar on stderr."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(JOB_KINDS), help="the job kind")
        parser.add_argument(
            "--param", action="append", default=[], metavar="NAME=VALUE", help="a job parameter"
        )
        add_as_argument(parser)

    def handle(self, *args: Any, kind: str, param: list[str], **options: Any) -> None:
        params = dict(item.split("=", 1) for item in param)
        try:
            job, _ = create_job(kind, params, acting_user=acting_user_from(options))
        except JobError as error:
            raise CommandError(str(error)) from error
        run_job(job, echo=progress_printer(self.stderr))
        self.stderr.write("")
        if job.state == JobState.FAILED:
            self.stderr.write(job.error)
            sys.exit(1)
        self.stdout.write(f"{JOB_KINDS[kind].label}:完成 {job.result}")
