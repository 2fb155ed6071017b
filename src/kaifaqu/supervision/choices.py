from django.db import models


class Level(models.IntegerChoices):
    """分级解决: the level of government that handles an item; escalation raises it."""

    DISTRICT = 1, "区级"
    CITY = 2, "市级"
    PROVINCE = 3, "省级"


class ItemState(models.TextChoices):
    REGISTERED = "registered", "待派单"
    ASSIGNED = "assigned", "待签收"
    IN_PROGRESS = "in_progress", "办理中"
    RETURNED = "returned", "已退回"
    DONE = "done", "已办结"


# States in which an item's deadline runs and escalation applies.
RUNNING_STATES = (ItemState.ASSIGNED, ItemState.IN_PROGRESS)
OPEN_STATES = (ItemState.REGISTERED, ItemState.RETURNED, *RUNNING_STATES)


class Light(models.TextChoices):
    GREEN = "green", "正常"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


# The lights from weakest to strongest: escalation never lowers an item's light.
LIGHT_ORDER = (Light.GREEN, Light.YELLOW, Light.RED)


class Clock(models.TextChoices):
    """Which time limit of an item an escalation rule measures."""

    HANDLING = "handling", "办理时限"
    ACCEPT = "accept", "签收时限"


class LogKind(models.TextChoices):
    CREATED = "created", "登记"
    ASSIGNED = "assigned", "派单"
    ACCEPTED = "accepted", "签收"
    RETURNED = "returned", "退回"
    DONE = "done", "办结"
    URGED = "urged", "督办"
    ESCALATED = "escalated", "逾期预警/升级"
    EXTENSION_REQUESTED = "extension_requested", "申请延期"
    EXTENSION_APPROVED = "extension_approved", "同意延期"
    EXTENSION_REFUSED = "extension_refused", "不同意延期"
    REOPENED = "reopened", "重办"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已同意"
    REFUSED = "refused", "不同意"
