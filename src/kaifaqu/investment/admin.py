"""The pipeline's settings in the admin: per stage, the expected days and the win probability.
Projects and their history change only through their actions (the pages, the import)."""

from django.contrib import admin
from django.http import HttpRequest

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.investment.models import StageSetting


@admin.register(StageSetting)
class StageSettingAdmin(AuditedModelAdmin):
    list_display = ("stage", "expected_days", "win_probability")
    readonly_fields = ("stage",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row per stage, made by the migration
