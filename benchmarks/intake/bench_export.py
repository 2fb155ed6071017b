"""Export of every enterprise-year of the demo province, as the background job the export page
queues for a list that long (``list_export``).

    .venv/bin/python benchmarks/intake/bench_export.py                    # SQLite (a fresh file)

Method: build the demo province (``BENCH_ENTERPRISES``, default 21,000 enterprises, × up to 5
years) as ``bench_import.py`` does; then, in a fresh process for each format, run the job as the
demo's province analyst with no filter (the list the enterprise-years export page gives it) and
print seconds, rows/s, the file's size and the process's peak RSS.
"""

import os
import subprocess
import sys
import time

# bench_import sets the production settings, a fresh SQLite directory and sets Django up.
from bench_import import footer
from django.contrib.auth import get_user_model
from django.core.management import call_command

from kaifaqu.jobs.actions import create_job, run_job

FORMATS = ("xlsx", "csv")


def prepare() -> None:
    call_command("migrate", verbosity=0)
    enterprises = int(os.environ.get("BENCH_ENTERPRISES", "21000"))
    with open(os.devnull, "w") as quiet:
        call_command("demo_data", reset=True, enterprises=enterprises, stdout=quiet, stderr=quiet)


def export(file_format: str) -> None:
    analyst = get_user_model().objects.get(username="analyst")
    params = {"kind": "enterprise-years", "query": f"format={file_format}"}
    job, _ = create_job("list_export", params, acting_user=analyst)
    started = time.perf_counter()
    run_job(job)
    seconds = time.perf_counter() - started
    assert job.state == "succeeded", job.error
    assert job.result is not None
    rows, size = job.result["行数"], job.result_file.size / 2**20
    speed = rows / seconds
    print(f"{file_format}: {rows:,} rows in {seconds:.2f} s, {speed:,.0f} rows/s, {size:.1f} MiB")
    footer("the job's process")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        export(sys.argv[1])
    else:
        prepare()
        for file_format in FORMATS:
            subprocess.run([sys.executable, __file__, file_format], check=True, env=os.environ)
