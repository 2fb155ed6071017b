import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kaifaqu.core.cli import acting_user_from, add_as_argument
from kaifaqu.intake.actions import create_batch, dry_run
from kaifaqu.intake.choices import BatchState, ImportKind, ImportPolicy
from kaifaqu.intake.report import problem_report
from kaifaqu.jobs.actions import create_job, run_job
from kaifaqu.jobs.terminal import progress_printer
from kaifaqu.spreadsheets.columns import MONEY_UNITS

LABELS = {
    "insert": "新增",
    "update": "更新",
    "unchanged": "无变化",
    "errors": "错误",
    "warnings": "警告",
}


class Command(BaseCommand):
    help = "Import a spreadsheet (xlsx, xls, ods, csv, UTF-16 text). Exit 0 committed, 1 refused."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=list(ImportKind.values))
        parser.add_argument(
            "--policy", default=ImportPolicy.REJECT, choices=list(ImportPolicy.values)
        )
        parser.add_argument(
            "--money-unit",
            default="万元",
            choices=list(MONEY_UNITS),
            help="unit of money columns whose header names none",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and plan, write nothing"
        )
        parser.add_argument("--report", type=Path, help="write the problem report to this .xlsx")
        add_as_argument(parser)

    def handle(self, *args: Any, file: Path, kind: str, **options: Any) -> None:
        user = acting_user_from(options)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}:{error.strerror}", returncode=2) from error
        settings = {"policy": options["policy"], "money_unit": options["money_unit"]}
        if options["dry_run"]:  # nothing stored: neither the file nor a batch
            batch = dry_run(data, file.name, kind, acting_user=user, step=self._step, **settings)
            failed = ""
        else:
            batch = create_batch(data, file.name, kind, acting_user=user, **settings)
            job, _ = create_job("import_commit", {"batch": batch.pk}, acting_user=user)
            run_job(job, echo=progress_printer(self.stderr))
            batch.refresh_from_db()
            failed = job.error if job.state == "failed" else ""
        if options["report"]:
            Path(options["report"]).write_bytes(problem_report(batch.problems, None))
        self._summary(batch)
        if failed:
            raise CommandError(failed)
        accepted = BatchState.VALIDATED if options["dry_run"] else BatchState.COMMITTED
        if batch.state != accepted:
            sys.exit(1)

    def _step(self, message: str) -> None:
        self.stderr.write(message)

    def _summary(self, batch: Any) -> None:
        for problem in batch.problems[:50]:
            where = f"第{problem['row']}行 " if problem["row"] else ""
            column = f"「{problem['column']}」" if problem["column"] else ""
            self.stderr.write(f"{where}{column}{problem['message']}:{problem['fix']}")
        counts = "  ".join(f"{LABELS[k]} {batch.counts[k]}" for k in LABELS if k in batch.counts)
        self.stdout.write(f"{batch.get_state_display()}  {counts}")
