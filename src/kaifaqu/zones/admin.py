from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.zones.models import Zone, ZoneYear


@admin.register(Zone)
class ZoneAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "kind", "region", "comparison_group", "approved_area_km2")
    list_filter = ("kind", "comparison_group")
    search_fields = ("code", "name")
    autocomplete_fields = ("region",)
    filter_horizontal = ("leading_industries",)


@admin.register(ZoneYear)
class ZoneYearAdmin(AuditedModelAdmin):
    list_display = ("zone", "year", "indicator", "value")
    list_filter = ("year", "indicator")
    search_fields = ("zone__name",)
    autocomplete_fields = ("zone",)
    list_select_related = ("zone", "indicator")
