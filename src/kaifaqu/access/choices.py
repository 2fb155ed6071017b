from django.db import models


class Binding(models.TextChoices):
    """What a role's users are bound to."""

    REGION = "region", "行政区划"
    ZONE = "zone", "开发区"


class Action(models.TextChoices):
    VIEW = "view", "查看"
    CHANGE = "change", "修改"
