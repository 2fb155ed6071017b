from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The in-app inbox: who is told what about which object, and the daily digest."""

    name = "kaifaqu.notifications"
    verbose_name = "消息通知"
