from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The change log: who changed what, when, from where, before and after."""

    name = "kaifaqu.audit"
    verbose_name = "变更日志"
