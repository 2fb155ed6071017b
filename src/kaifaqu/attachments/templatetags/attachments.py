"""``{% attachments_panel object %}``: the attachments of ``object``, the upload form for a user
who may add files to it, and the delete buttons for one who may change it. A module drops it
into its detail page after registering its model (``attachments.registry.attachable``)."""

from typing import Any

from django import template
from django.conf import settings
from django.db import models

from kaifaqu.attachments.actions import may_upload
from kaifaqu.attachments.forms import AttachmentForm
from kaifaqu.attachments.models import Attachment
from kaifaqu.attachments.registry import UPLOAD_RULES
from kaifaqu.attachments.sniffing import accepted_types

register = template.Library()


@register.inclusion_tag("attachments/includes/panel.html", takes_context=True)
def attachments_panel(context: dict[str, Any], obj: models.Model) -> dict[str, Any]:
    user = context["request"].user
    manager: Any = type(obj)._default_manager
    may_change = manager.restrict(user, "change").filter(pk=obj.pk).exists()
    may_add = may_change if obj._meta.label_lower not in UPLOAD_RULES else may_upload(obj, user)
    label = obj._meta.label_lower
    return {
        "attachments": Attachment.objects.restrict(user).of(obj).select_related("uploaded_by"),
        "may_change": may_change,
        "may_upload": may_add,
        "form": AttachmentForm(initial={"owner": label, "object_id": obj.pk}),
        "accepted": "、".join(
            sorted({t.label for t in accepted_types(settings.KAIFAQU_ATTACHMENT_TYPES)})
        ),
        "max_mb": settings.KAIFAQU_ATTACHMENT_MAX_MB,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def file_size(size: int) -> str:
    """A byte count as people read it (1.2 MB, 340 KB)."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"
