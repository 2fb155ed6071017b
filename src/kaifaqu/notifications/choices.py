from django.db import models


class NotificationKind(models.TextChoices):
    """Why a user is told: the events of assigned work that the operational modules raise."""

    ASSIGNMENT = "assignment", "派单"
    DEADLINE = "deadline", "即将到期"
    OVERDUE = "overdue", "逾期"
    ESCALATION = "escalation", "升级"
    REPLY = "reply", "答复"
    STATE_CHANGE = "state_change", "状态变更"


class ReadState(models.TextChoices):
    UNREAD = "unread", "未读"
    READ = "read", "已读"
