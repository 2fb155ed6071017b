from django.db import models


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县(区)"


class IndustryLevel(models.TextChoices):
    SECTION = "section", "门类"
    DIVISION = "division", "大类"


class Direction(models.IntegerChoices):
    BENEFIT = 1, "正向(越大越好)"
    COST = -1, "逆向(越小越好)"
