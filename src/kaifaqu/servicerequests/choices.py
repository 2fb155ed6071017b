from django.db import models


class Category(models.TextChoices):
    LAND = "land", "用地"
    LABOUR = "labour", "用工"
    FINANCE = "finance", "融资"
    POLICY = "policy", "政策兑现"
    APPROVAL = "approval", "审批"
    UTILITIES = "utilities", "水电气"
    ENVIRONMENT = "environment", "环保"
    OTHER = "other", "其他"


class Complexity(models.TextChoices):
    SIMPLE = "simple", "简单"
    NORMAL = "normal", "一般"
    COMPLEX = "complex", "复杂"


class Channel(models.TextChoices):
    PORTAL = "portal", "企业自助"
    HOTLINE = "hotline", "热线"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


# The ratings that count as satisfied in 满意率 = (满意 + 基本满意) ÷ rated.
SATISFIED_RATINGS = (Rating.SATISFIED, Rating.FAIRLY)


class Stage(models.TextChoices):
    """Where a request stands, read from its supervised item and its rating (never stored)."""

    REGISTERED = "registered", "待派单"
    ASSIGNED = "assigned", "待签收"
    IN_PROGRESS = "in_progress", "办理中"
    REPLIED = "replied", "待回访"
    CLOSED = "closed", "已办结"
