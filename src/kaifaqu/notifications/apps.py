from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The in-app inbox: who is told what about which object, and the daily digest."""

    name = "kaifaqu.notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from kaifaqu.notifications.listeners import on_supervision_event
        from kaifaqu.supervision.events import LISTENERS

        if on_supervision_event not in LISTENERS:
            LISTENERS.append(on_supervision_event)
