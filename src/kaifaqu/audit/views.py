"""The audit administrator's window: the change log within its region (values included), the
security events and the domain events; filterable and exportable."""

import csv
import itertools
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from kaifaqu.access.choices import RoleKind
from kaifaqu.access.roles import AdminRoleView
from kaifaqu.access.scope import NOTHING, region_condition, user_profile
from kaifaqu.audit.filtersets import ObjectChangeFilterSet
from kaifaqu.audit.models import DomainEvent, ObjectChange, SecurityEvent
from kaifaqu.core.downloads import CSV, streaming_download

EXPORT_COLUMNS = (
    ("time", "时间"),
    ("username", "用户"),
    ("role", "角色"),
    ("ip", "IP地址"),
    ("channel", "来源"),
    ("request_id", "请求编号"),
    ("action", "操作"),
    ("content_type__model", "对象类型"),
    ("object_id", "对象编号"),
    ("object_repr", "对象"),
    ("before", "修改前"),
    ("after", "修改后"),
)


def auditor_condition(user: Any) -> Q:
    """Change-log rows of the auditor's region; a superuser sees all."""
    if getattr(user, "is_superuser", False):
        return Q()
    profile = user_profile(user)
    if profile is None or profile.region is None:
        return NOTHING
    return region_condition(
        profile.region, province_field="province_code", code_field="region_code"
    )


def changes_for(request: HttpRequest) -> tuple[ObjectChangeFilterSet, QuerySet[ObjectChange]]:
    visible = ObjectChange.objects.filter(auditor_condition(request.user))
    filterset = ObjectChangeFilterSet(request.GET, queryset=visible.select_related("content_type"))
    return filterset, filterset.qs if filterset.is_valid() else visible.none()


class AuditConsoleView(AdminRoleView):
    required_kind = RoleKind.AUDIT_ADMIN

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset, changes = changes_for(request)
        context = {
            "filterset": filterset,
            "changes": changes[:200],
            "count": changes.count(),
            "security_events": SecurityEvent.objects.all()[:100],
            "domain_events": DomainEvent.objects.filter(auditor_condition(request.user))[:100],
        }
        return render(request, "audit/audit_console.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


class AuditExportView(AdminRoleView):
    """The filtered change log as CSV (UTF-8 with BOM, so Excel opens it)."""

    required_kind = RoleKind.AUDIT_ADMIN

    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        _, changes = changes_for(request)
        writer = csv.writer(_Echo())
        rows = changes.values_list(*(name for name, _ in EXPORT_COLUMNS)).iterator()
        header = "\ufeff" + writer.writerow([label for _, label in EXPORT_COLUMNS])
        lines = itertools.chain([header], (writer.writerow(row) for row in rows))
        return streaming_download(lines, "change-log.csv", CSV)
