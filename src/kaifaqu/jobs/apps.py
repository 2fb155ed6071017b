from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    """Background jobs with visible progress, run by the database task worker or the CLI."""

    name = "kaifaqu.jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # Each app declares its job kinds in its own jobs.py.
        autodiscover_modules("jobs")
