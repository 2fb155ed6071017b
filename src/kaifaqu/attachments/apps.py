from django.apps import AppConfig


class AttachmentsConfig(AppConfig):
    """Evidence files (contracts, photos, permits) bound to any object, served within its scope."""

    name = "kaifaqu.attachments"
    verbose_name = "附件"
