from django.db import models


class ZoneKind(models.TextChoices):
    NATIONAL_ETDZ = "national_etdz", "国家级经济技术开发区"
    NATIONAL_HTZ = "national_htz", "国家级高新技术产业开发区"
    PROVINCIAL_EDZ = "provincial_edz", "省级经济开发区"
    PROVINCIAL_HTZ = "provincial_htz", "省级高新技术产业开发区"
    CUSTOMS_SPECIAL = "customs_special", "海关特殊监管区域"
    OTHER = "other", "其他"
