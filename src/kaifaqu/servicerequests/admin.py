"""The rules of service requests in the admin: SLA per complexity, each category's default
complexity, and the flow's numbers. Requests themselves change only through their actions."""

from django.contrib import admin

from kaifaqu.audit.admin import AuditedModelAdmin
from kaifaqu.servicerequests.models import CategoryDefault, ComplexitySla, RequestRules


@admin.register(ComplexitySla)
class ComplexitySlaAdmin(AuditedModelAdmin):
    list_display = ("complexity", "working_days")


@admin.register(CategoryDefault)
class CategoryDefaultAdmin(AuditedModelAdmin):
    list_display = ("category", "complexity")


@admin.register(RequestRules)
class RequestRulesAdmin(AuditedModelAdmin):
    list_display = (
        "__str__", "accept_working_days", "rating_working_days", "similar_days",
        "similar_threshold",
    )  # fmt: skip
