"""Supervision's data in the admin: the kinds (number prefix, SLA) and the escalation rules.
Items themselves change only through their actions (the pages and the API)."""

from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.supervision.models import EscalationRule, ItemKind


@admin.register(ItemKind)
class ItemKindAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "sla_working_days")
    search_fields = ("code", "name")


@admin.register(EscalationRule)
class EscalationRuleAdmin(AuditedModelAdmin):
    list_display = (
        "clock",
        "overdue_days",
        "kind",
        "light",
        "warn_unit",
        "raise_level",
        "on_board",
    )
    list_filter = ("clock", "kind", "light")
