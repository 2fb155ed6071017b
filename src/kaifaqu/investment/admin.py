"""The pipeline's settings in the admin: per stage, the expected days and the win probability;
the KPI standards, each zone's yearly targets and the large-project floors per zone kind.
Projects and their history change only through their actions (the pages, the import)."""

from django.contrib import admin
from django.http import HttpRequest

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.investment.kpi_models import KpiStandard, KpiTarget, ProjectSizeFloor
from kaifaqu.investment.models import StageSetting


@admin.register(StageSetting)
class StageSettingAdmin(AuditedModelAdmin):
    list_display = ("stage", "expected_days", "win_probability")
    readonly_fields = ("stage",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row per stage, made by the migration


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
