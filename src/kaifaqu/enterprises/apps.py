from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    """Enterprises, their yearly statistics and the dated events evaluations use."""

    name = "kaifaqu.enterprises"
    verbose_name = "企业"
