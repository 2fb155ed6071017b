"""招商's data in the admin: the KPI standards, each zone's yearly targets and the large-project
floors per zone kind. Projects themselves change only through their actions."""

from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.investment.kpi_models import KpiStandard, KpiTarget, ProjectSizeFloor


@admin.register(KpiStandard)
class KpiStandardAdmin(AuditedModelAdmin):
    list_display = ("kpi", "value", "source")


@admin.register(KpiTarget)
class KpiTargetAdmin(AuditedModelAdmin):
    list_display = ("zone", "year", "kpi", "value")
    list_filter = ("year", "kpi")
    search_fields = ("zone__name",)
    autocomplete_fields = ("zone",)


@admin.register(ProjectSizeFloor)
class ProjectSizeFloorAdmin(AuditedModelAdmin):
    list_display = ("zone_kind", "label", "amount", "inclusive", "minimum_count")
