from typing import ClassVar

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.notifications.api.filtersets import NotificationFilterSet
from kaifaqu.notifications.api.serializers import NotificationSerializer
from kaifaqu.notifications.models import Notification


class NotificationViewSet(ScopedReadViewSet):
    """您的通知:派单、即将到期、逾期、升级、答复与状态变更,附所指对象的链接。只读。"""

    queryset = Notification.objects.select_related("content_type")
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering: ClassVar[tuple[str, ...]] = ("-id",)
