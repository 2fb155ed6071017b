from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the platform on a server: the application server, health checks, JSON logs,
    backups and restores, and ``kaifaqu doctor``."""

    name = "kaifaqu.ops"
    verbose_name = "运维"
