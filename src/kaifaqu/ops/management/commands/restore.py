from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kaifaqu.ops.backup import BackupError, Database, restore


class Command(BaseCommand):
    help = (
        "Restore the backup in DIR (from kaifaqu backup) into the configured database, which must "
        "be empty, and the files folder, which must be empty; every checksum is checked first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory", type=Path, help="a folder written by kaifaqu backup")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        # the checks and the restore use connections of their own
        connection.close()
        try:
            manifest = restore(
                directory, Database(connection.settings_dict), Path(settings.MEDIA_ROOT)
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已从 {directory} 恢复({manifest['created']} 的备份,版本 {manifest['kaifaqu']}):"
            f"{len(manifest['tables'])} 张数据表。请运行 kaifaqu migrate,然后启动服务"
        )
