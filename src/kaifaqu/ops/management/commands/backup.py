from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kaifaqu.ops.backup import BackupError, Database, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump custom format, or SQLite's online backup) and the uploaded "
        "and generated files into the new folder DIR, with a manifest and SHA-256 checksums."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty folder")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        try:
            manifest = backup(
                directory, Database(connection.settings_dict), Path(settings.MEDIA_ROOT)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"已备份到 {directory}:{len(manifest['tables'])} 张数据表共 {rows} 行,"
            f"{len(manifest['files'])} 个文件(含数据库文件)"
        )
