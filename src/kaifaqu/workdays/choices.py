from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "法定节假日(放假)"
    WORKDAY = "workday", "调休上班日"
