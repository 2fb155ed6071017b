import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the production application server (gunicorn) with KAIFAQU_WEB_WORKERS processes on "
        "KAIFAQU_BIND; systemd's kaifaqu-web.service runs it, nginx sits in front."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", help="address:port or unix:PATH (default KAIFAQU_BIND)")
        parser.add_argument("--workers", type=int, help="processes (default KAIFAQU_WEB_WORKERS)")

    def handle(self, *args: Any, bind: str | None, workers: int | None, **options: Any) -> None:
        command = gunicorn_command(bind or settings.KAIFAQU_BIND, workers)
        # gunicorn takes this process's place, so systemd's stop and reload signals reach it
        os.execv(command[0], command)


def gunicorn_command(bind: str, workers: int | None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(workers or settings.KAIFAQU_WEB_WORKERS),
        "--timeout",
        str(settings.KAIFAQU_WEB_TIMEOUT),
        # nginx on the same host passes the client's address and scheme
        "--forwarded-allow-ips",
        "127.0.0.1,::1",
        # requests are logged as JSON by the application (ops/logs.py), errors on stderr
        "--error-logfile",
        "-",
        # stopped and restarted by systemd, not through gunicorn's control socket
        "--no-control-socket",
        "kaifaqu.project.wsgi:application",
    ]
