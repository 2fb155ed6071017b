import uuid
from functools import reduce
from operator import or_
from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.attachments.registry import ATTACHABLE
from kaifaqu.attachments.sniffing import extension


def attached_to_condition(user: ActingUser, action: str) -> Q:
    """Attachments whose object is inside ``user``'s scope for ``action``, by the object's own
    ``restrict()``: one subquery per attachable model, none for a model not registered."""
    content_types = ContentType.objects.get_for_models(*ATTACHABLE.values())
    conditions = [
        Q(
            content_type=content_types[model],
            object_id__in=model._default_manager.restrict(user, action)  # type: ignore[attr-defined]
            .annotate(key=Cast("pk", CharField()))
            .values("key"),
        )
        for model in ATTACHABLE.values()
    ]
    return reduce(or_, conditions, Q(pk__in=[]))


class AttachmentQuerySet(models.QuerySet["Attachment"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        """An attachment is seen by whoever may view its object, changed by whoever may change
        it."""
        return self.filter(attached_to_condition(user, action))

    def of(self, obj: models.Model) -> Self:
        """The attachments of ``obj``."""
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=str(obj.pk))


def stored_name(instance: "Attachment", file_name: str) -> str:
    """Stored under a random name: the user's name is kept in the row, never in a path."""
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension(file_name)}"


class Attachment(models.Model):
    """An evidence file (a contract, a photo, a permit) bound to one object of any attachable
    model, stored under ``KAIFAQU_VAR_DIR`` and served only through the scoped download."""

    content_type = models.ForeignKey(
        ContentType, verbose_name="对象类型", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64)
    owner = GenericForeignKey("content_type", "object_id")
    province_code = models.CharField("所属省份代码", max_length=6, blank=True, editable=False)
    file = models.FileField("文件", upload_to=stored_name, max_length=200)
    file_name = models.CharField("文件名", max_length=255)
    file_type = models.CharField("文件类型", max_length=8)
    mime_type = models.CharField("MIME 类型", max_length=100)
    size = models.PositiveBigIntegerField("大小(字节)")
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField("上传时间", auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attachment_owner")]

    def __str__(self) -> str:
        return self.file_name
