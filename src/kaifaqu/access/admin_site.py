from django.contrib.admin.apps import AdminConfig


class KaifaquAdminConfig(AdminConfig):
    """Django's admin, on the platform's own site (``access.sites``)."""

    default_site = "kaifaqu.access.sites.KaifaquAdminSite"
