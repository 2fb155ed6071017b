"""Base viewsets every app declares its endpoints with (NetBox's pattern, kept small)."""

from collections import Counter
from typing import Any, ClassVar

from django.db import router
from django.db.models import Model, QuerySet
from django.db.models.deletion import Collector
from django.http import HttpRequest, HttpResponseBase
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from kaifaqu.api.errors import Protected
from kaifaqu.api.permissions import ScopedAccess
from kaifaqu.audit.context import current_context, write_context
from kaifaqu.audit.writes import audited_delete
from kaifaqu.core.scoped import restricted


class APIViewMixin:
    """What every API view shares: the change log's channel, and throttles before permissions."""

    # Any id reaches the view, so a malformed one is this API's JSON 404, not Django's HTML page.
    lookup_value_regex = "[^/]+"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Same request id and address as the middleware gave the request; the channel says "api".
        outer = current_context()
        with write_context(request_id=outer.request_id, ip=outer.ip, channel="api"):
            response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response

    def check_permissions(self, request: Request) -> None:
        # Rate limits apply before the permission check, so anonymous probing is limited too.
        super().check_throttles(request)  # type: ignore[misc]
        super().check_permissions(request)  # type: ignore[misc]

    def check_throttles(self, request: Request) -> None:
        """Already done in ``check_permissions``."""


class ReferenceViewSet(APIViewMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Reference data (regions, industries, tags, indicators): readable by everyone logged in."""

    ordering: ClassVar[tuple[str, ...]] = ("id",)
    ordering_fields: ClassVar[tuple[str, ...]] = ("id",)


class ScopedReadViewSet(
    APIViewMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """Scoped rows read by list and id; a subclass adds its writes as calls of its app's actions.

    Reads see ``restrict(user, "view")``; a write fetches its object from ``restrict(user,
    "change")``: outside it, the object does not exist (404).
    """

    permission_classes = (ScopedAccess,)
    ordering: ClassVar[tuple[str, ...]] = ("id",)
    ordering_fields: ClassVar[tuple[str, ...]] = ("id",)

    def get_queryset(self) -> QuerySet[Any]:
        action = "view" if self.request.method in SAFE_METHODS else "change"
        return restricted(super().get_queryset(), self.request.user, action)


class ScopedModelViewSet(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    ScopedReadViewSet,
):
    """A regional model: reads restricted to the caller's scope, writes audited."""

    def perform_destroy(self, instance: Model) -> None:
        dependants = dependent_rows(instance)
        if dependants:
            listed = "、".join(f"{name} {count} 条" for name, count in dependants.items())
            raise Protected(f"该对象仍有关联数据:{listed}。请先删除这些数据。")
        audited_delete(instance, acting_user=self.request.user)


def dependent_rows(instance: Model) -> dict[str, int]:
    """What deleting ``instance`` would delete with it, by model, many-to-many links aside.

    The API deletes no rows in cascade: each would vanish without its own change-log row. The
    caller deletes the dependent rows first, each one logged. A PROTECT reference raises
    ProtectedError, which the error handler turns into a 409 as well.
    """
    collector = Collector(using=router.db_for_write(type(instance)), origin=instance)
    collector.collect([instance])
    counts: Counter[str] = Counter()
    for model, objects in collector.data.items():
        others = [obj for obj in objects if obj.pk != instance.pk or model is not type(instance)]
        if others and not model._meta.auto_created:
            counts[str(model._meta.verbose_name)] += len(others)
    for queryset in collector.fast_deletes:
        if not queryset.model._meta.auto_created:
            found = queryset.count()
            if found:
                counts[str(queryset.model._meta.verbose_name)] += found
    return dict(counts)
