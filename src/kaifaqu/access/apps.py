from django.apps import AppConfig


class AccessConfig(AppConfig):
    """Who sees what: roles, the region or zones a user is bound to, and ``restrict()``."""

    name = "kaifaqu.access"
    verbose_name = "权限与范围"
