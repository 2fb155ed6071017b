"""The change log in the admin (read-only), and the base class that makes admin writes audited."""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.log import log_change, snapshot, stored_snapshot
from kaifaqu.audit.models import ObjectChange
from kaifaqu.audit.writes import audited_delete
from kaifaqu.core.policy import access_policy
from kaifaqu.core.scoped import restricted


class AuditedModelAdmin(admin.ModelAdmin[Any]):
    """Admin writes go through the same scope check and change log as every other write.

    Django's admin saves the object, then its many-to-many fields; the entry is written after both,
    inside the admin's transaction, so the "after" snapshot is complete.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if hasattr(queryset, "restrict"):
            return restricted(queryset, request.user, "view")
        return queryset

    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        request._audit_before = stored_snapshot(obj)  # type: ignore[attr-defined]
        if change:
            access_policy().ensure_in_scope(type(obj)._base_manager.get(pk=obj.pk), request.user)
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        instance: models.Model = form.instance
        access_policy().ensure_in_scope(instance, request.user)
        before = request._audit_before  # type: ignore[attr-defined]
        log_change(
            instance,
            action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
            before=before,
            after=snapshot(instance),
            acting_user=request.user,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audited_delete(obj, acting_user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audited_delete(obj, acting_user=request.user)


@admin.register(ObjectChange)
class ObjectChangeAdmin(admin.ModelAdmin[ObjectChange]):
    list_display = ("time", "username", "role", "channel", "action", "content_type", "object_repr")
    list_filter = ("action", "channel", "content_type")
    search_fields = ("username", "object_repr", "request_id", "object_id")
    date_hierarchy = "time"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
