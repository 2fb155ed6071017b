from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    """Published rankings, 公示 lists and final grade lists: their own visibility class."""

    name = "kaifaqu.publications"
    verbose_name = "公开发布"
