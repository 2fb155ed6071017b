from django.apps import AppConfig


class ServiceRequestsConfig(AppConfig):
    """Enterprise service requests (企业诉求): the portal, the hotline desk and 动态清零."""

    name = "kaifaqu.servicerequests"
    verbose_name = "企业诉求"

    def ready(self) -> None:
        from kaifaqu.attachments.registry import attachable
        from kaifaqu.servicerequests.models import ServiceRequest

        attachable(ServiceRequest, upload_rule="servicerequests.attach")
