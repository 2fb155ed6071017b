"""A progress bar for jobs run from the command line: a bar on a terminal, plain lines otherwise."""

from typing import Any

from kaifaqu.jobs.progress import Echo

WIDTH = 30


def progress_printer(stream: Any) -> Echo:
    """An ``echo`` for ``run_job`` writing to a Django command's stderr wrapper."""
    terminal = stream.isatty()

    def echo(done: int, total: int | None, message: str) -> None:
        if total:
            filled = WIDTH * done // total
            line = f"[{'█' * filled}{'·' * (WIDTH - filled)}] {done}/{total} {message}"
        else:
            line = f"{done} {message}"
        stream.write(line, ending="\r" if terminal else "\n")

    return echo
