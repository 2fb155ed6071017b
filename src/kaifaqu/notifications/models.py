from typing import Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from kaifaqu.access.scope import addressee_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.notifications.choices import NotificationKind


class NotificationQuerySet(models.QuerySet["Notification"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        """A notification is its recipient's alone, whatever the action."""
        return self.filter(addressee_condition(user, addressee="recipient"))

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a user's inbox about one object: what happened, and where to look.

    The object's address is taken when the notification is made (``url``), so the inbox lists
    links without loading the objects; ``target`` still names the object itself.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=16, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("对象链接", max_length=500, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name="对象类型",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-pk"]
        indexes = [
            # the header's unread count and the inbox's unread filter
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
