from django.db import models


class UnitKind(models.TextChoices):
    BUREAU = "bureau", "委办局"
    ZONE_COMMITTEE = "zone_committee", "管委会"
    SUBDISTRICT = "subdistrict", "街道"
    TOWNSHIP = "township", "乡镇"
    CHAIN_OFFICE = "chain_office", "链办"
    GOVERNMENT = "government", "人民政府"
    OTHER = "other", "其他"
