"""Time ``kaifaqu demo-data`` on a fresh SQLite file: seconds, rows/s and peak memory.

    .venv/bin/python benchmarks/demo/bench_demo_data.py              # 20,000 enterprises
    .venv/bin/python benchmarks/demo/bench_demo_data.py 20000 1000000

Each size runs in its own process on its own database in a temporary directory, so the peak RSS
(``getrusage``) is that size's alone; migrations run before the clock starts. Production settings
(DEBUG off), the generator's default seed.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_one(enterprises: int, directory: str) -> None:
    database = Path(directory) / "bench.sqlite3"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="kaifaqu.project.settings",
        DATABASE_URL=f"sqlite:///{database}",
        KAIFAQU_DEBUG="false",
        KAIFAQU_SECRET_KEY="benchmark-only",
        KAIFAQU_ALLOWED_HOSTS="localhost",
        KAIFAQU_VAR_DIR=directory,
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from kaifaqu.demo.generator import generate

    started = time.perf_counter()
    summary = generate(enterprises=enterprises, stderr=sys.stderr)
    seconds = time.perf_counter() - started
    rows = sum(summary.counts.values())
    size_mib = sum(f.stat().st_size for f in Path(directory).glob("bench.sqlite3*")) / 2**20
    print(
        f"{enterprises:>10,} enterprises  {rows:>10,} rows  {seconds:8.1f} s  "
        f"{rows / seconds:>9,.0f} rows/s  peak RSS {summary.peak_rss_mib:6.0f} MiB  "
        f"database {size_mib:,.0f} MiB",
        flush=True,
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        run_one(int(argv[1]), argv[2])
        return 0
    sizes = [int(arg) for arg in argv] or [20_000]
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs")
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="kaifaqu-bench-") as directory:
            command = [sys.executable, __file__, "--one", str(size), directory]
            subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
