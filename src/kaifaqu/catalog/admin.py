from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.catalog.models import Indicator, Industry, Region, Tag


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)


@admin.register(Industry)
class IndustryAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Tag)
class TagAdmin(AuditedModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "unit", "direction", "source")
    search_fields = ("code", "name")
