from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string


class Command(BaseCommand):
    help = (
        "Print the nginx site for this installation, from the settings in effect: the upload limit "
        "from KAIFAQU_UPLOAD_MAX_MB, the upstream from KAIFAQU_BIND, the static files' folder."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--server-name", help="the site's host name (default: the first KAIFAQU_ALLOWED_HOSTS)"
        )

    def handle(self, *args: Any, server_name: str | None, **options: Any) -> None:
        self.stdout.write(nginx_site(server_name or settings.ALLOWED_HOSTS[0]), ending="")


def nginx_site(server_name: str, generated_from: str = "this server's settings") -> str:
    return render_to_string(
        "ops/nginx.conf",
        {
            "generated_from": generated_from,
            "server_name": server_name,
            "upstream": settings.KAIFAQU_BIND,
            "upload_max_mb": settings.KAIFAQU_UPLOAD_MAX_MB,
            "body_max_mb": settings.KAIFAQU_UPLOAD_MAX_MB + 1,
            "static_root": settings.STATIC_ROOT,
            "hsts_seconds": settings.SECURE_HSTS_SECONDS,
            "web_timeout": settings.KAIFAQU_WEB_TIMEOUT,
            "read_timeout": settings.KAIFAQU_WEB_TIMEOUT + 10,
        },
    )
