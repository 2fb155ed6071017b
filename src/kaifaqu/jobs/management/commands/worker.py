from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kaifaqu.jobs.actions import reap_stale_jobs


class Command(BaseCommand):
    help = "Run the background job worker (the database task worker), after reaping dead jobs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="run queued jobs, then exit")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        reaped = reap_stale_jobs()
        if reaped:
            self.stderr.write(f"{reaped} 个中断的任务已标记为失败")
        call_command("db_worker", batch=batch, no_startup_delay=True)
