"""The one command line, ``kaifaqu``.

Subcommands that need no database (``kaifaqu index …``) run without setting up Django, so they start
fast on an analyst's laptop; every other subcommand is a Django management command
(``kaifaqu migrate``, ``kaifaqu demo-data``). Hyphens and underscores in command names are the same.
"""

import os
import sys
from collections.abc import Callable

# Subcommands served by the framework-free engine: name → "module:function" taking argv.
ENGINE_COMMANDS: dict[str, str] = {
    "index": "kaifaqu.scoring.cli:main",
    "mujun": "kaifaqu.mujun.cli:main",
}


def _engine_command(name: str) -> Callable[[list[str]], int] | None:
    target = ENGINE_COMMANDS.get(name)
    if target is None:
        return None
    module_name, function_name = target.split(":")
    module = __import__(module_name, fromlist=[function_name])
    command: Callable[[list[str]], int] = getattr(module, function_name)
    return command


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and (command := _engine_command(args[0])) is not None:
        return command(args[1:])
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaifaqu.project.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kaifaqu", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
