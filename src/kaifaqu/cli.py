"""The one command line, ``kaifaqu``.

Subcommands that need no database (``kaifaqu index …``) run without setting up Django, so they start
fast on an analyst's laptop; every other subcommand is a Django management command
(``kaifaqu migrate``, ``kaifaqu demo-data``). Hyphens and underscores in command names are the same.

What a server's operator gets wrong before anything runs — a missing setting, a database not yet
created, migrated or reachable — is said in one line naming the problem
and the fix, with exit status 2 (wrong usage), never as a traceback.
"""

import os
import re
import sys
from collections.abc import Callable

# Subcommands served by the framework-free engine: name → "module:function" taking argv.
ENGINE_COMMANDS: dict[str, str] = {
    "index": "kaifaqu.scoring.cli:main",
    "mujun": "kaifaqu.mujun.cli:main",
    "policy": "kaifaqu.policytext.cli:main",
}


def _engine_command(name: str) -> Callable[[list[str]], int] | None:
    target = ENGINE_COMMANDS.get(name)
    if target is None:
        return None
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    command: Callable[[list[str]], int] = getattr(module, function_name)
    return command


# A database error that means "not created or not migrated yet", on SQLite and on PostgreSQL.
_MISSING_TABLE = re.compile(r"no such table: (\S+)|relation \"([^\"]+)\" does not exist")


def _database_problem(error: Exception) -> str | None:
    """The line for a database not created, not migrated or unreachable; None for anything else."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    text = str(error)
    if (missing := _MISSING_TABLE.search(text)) is not None:
        table = missing.group(1) or missing.group(2)
        return f"数据库尚未初始化(缺少数据表 {table}):请先运行 kaifaqu migrate"
    if "unable to open database file" in text:
        folder = os.path.dirname(str(database["NAME"]))
        return (
            f"无法打开数据库文件 {database['NAME']}:请确认目录 {folder} 存在且可写"
            "(或用 KAIFAQU_VAR_DIR / DATABASE_URL 指向别处),然后运行 kaifaqu migrate"
        )
    if "connection" in text.lower():
        where = f"{database.get('HOST')}:{database.get('PORT') or 5432}/{database['NAME']}"
        return f"无法连接数据库 {where}:请检查 DATABASE_URL 和数据库服务是否在运行"
    return None


def _run_django(args: list[str]) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(["kaifaqu", *args])
    except ImproperlyConfigured as error:
        _fail(f"设置缺失或有误:{error}(生产环境请设置该环境变量;开发时可设 KAIFAQU_DEBUG=true)")
    except DatabaseError as error:
        if (problem := _database_problem(error)) is None:
            raise
        _fail(problem)
    return 0


def _fail(message: str) -> None:
    print(f"kaifaqu: {message}", file=sys.stderr)
    raise SystemExit(2)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (command := _engine_command(args[0])) is not None:
        return command(args[1:])
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
    return _run_django(args)


if __name__ == "__main__":
    sys.exit(main())
