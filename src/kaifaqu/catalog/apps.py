from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Reference data every module shares: regions, industries, the tag and indicator libraries."""

    name = "kaifaqu.catalog"
    verbose_name = "基础目录"
