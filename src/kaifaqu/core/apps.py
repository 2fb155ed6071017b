from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The small shared framework: base views, keyset paging, navigation, layout."""

    name = "kaifaqu.core"
    verbose_name = "平台"
