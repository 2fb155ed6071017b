import platform
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from kaifaqu.ops.health import run_checks

PACKAGES = ["kaifaqu", "django", "gunicorn", "psycopg", "django-tasks-db", "polars", "weasyprint"]
# A setting whose name says it holds a secret is shown masked.
SECRET_NAME = re.compile(r"SECRET|PASSWORD")


class Command(BaseCommand):
    help = (
        "Print the readiness checks (as /readyz answers them, with the reasons), the versions and "
        "the settings in effect (secrets masked): what the vendor asks for on the phone. "
        "Exits 1 when a check fails."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = run_checks()
        self.section("检查 checks")
        for name, outcome in outcomes.items():
            self.stdout.write(
                f"  {name:<12} {'ok' if outcome.ok else 'FAILED':<7} {outcome.detail}"
            )
        self.section("版本 versions")
        for name, text in versions().items():
            self.stdout.write(f"  {name:<16} {text}")
        self.section("设置 settings in effect")
        for name, value in settings_in_effect().items():
            self.stdout.write(f"  {name:<36} {value}")
        if not all(outcome.ok for outcome in outcomes.values()):
            raise CommandError("有检查未通过(见上)", returncode=1)

    def section(self, title: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(title))


def versions() -> dict[str, str]:
    found = {"python": f"{platform.python_version()} ({sys.executable})"}
    found["platform"] = platform.platform()
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "未安装"
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()"
                if connection.vendor != "sqlite"
                else "SELECT 'SQLite ' || sqlite_version()"
            )
            found["database server"] = cursor.fetchone()[0]
    except DatabaseError as error:
        found["database server"] = f"无法连接:{error}".strip()
    return found


def settings_in_effect() -> dict[str, str]:
    shown = {
        "DEBUG": str(settings.DEBUG),
        "ALLOWED_HOSTS": ",".join(settings.ALLOWED_HOSTS),
        "SECRET_KEY": mask(settings.SECRET_KEY),
        "DATABASE": database_description(connection.settings_dict),
        "VAR_DIR": str(settings.VAR_DIR),
        "STATIC_ROOT": str(settings.STATIC_ROOT),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TIME_ZONE": settings.TIME_ZONE,
    }
    for name in sorted(dir(settings)):
        if name.startswith("KAIFAQU_"):
            value = getattr(settings, name)
            shown[name] = mask(str(value)) if SECRET_NAME.search(name) else str(value)
    return shown


def mask(secret: str) -> str:
    return f"****(已设置,{len(secret)} 个字符)" if secret else "(未设置)"


def database_description(database: dict[str, Any]) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite {database['NAME']}"
    password = "****" if database.get("PASSWORD") else ""
    user = f"{database.get('USER') or ''}{':' + password if password else ''}"
    host = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    return f"{connection.vendor} {user}@{host}/{database['NAME']}"
