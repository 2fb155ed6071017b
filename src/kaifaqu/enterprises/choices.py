from django.db import models


class Ownership(models.TextChoices):
    DOMESTIC = "domestic", "内资"
    HK_MACAO_TAIWAN = "hmt", "港澳台"
    FOREIGN = "foreign", "外资"


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", "在营"
    STOPPED = "stopped", "停产"
    HALF_STOPPED = "half_stopped", "半停产"
    DEREGISTERED = "deregistered", "注销"
    MOVED_OUT = "moved_out", "迁出"


class EventKind(models.TextChoices):
    MAJOR_SAFETY_ACCIDENT = "safety_accident", "重大安全事故"
    MAJOR_ENVIRONMENTAL_ACCIDENT = "environmental_accident", "重大环境事故"
    DISHONEST_LISTED = "dishonest_listed", "列入失信名单"
    DISHONEST_REMOVED = "dishonest_removed", "移出失信名单"
