from typing import ClassVar

from rest_framework import serializers

from kaifaqu.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A notification of the caller's: what happened, where to look, whether it was read."""

    withheld: ClassVar[dict[str, str]] = {
        "recipient": "users are not a resource of this API (a notification is the caller's own)",
        "content_type": "given as ``object_type``, the model's label",
    }

    kind_label = serializers.CharField(source="get_kind_display", help_text="类型名称")
    object_type = serializers.SerializerMethodField(
        help_text="所指对象的类型(如 enterprises.enterprise);无对象时为 null"
    )
    is_read = serializers.BooleanField(help_text="是否已读")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "kind_label",
            "title",
            "body",
            "url",
            "object_type",
            "object_id",
            "created",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_object_type(self, notification: Notification) -> str | None:
        content_type = notification.content_type
        return f"{content_type.app_label}.{content_type.model}" if content_type else None
