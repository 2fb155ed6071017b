"""Generic views every domain app declares its pages with (NetBox's pattern, kept small)."""

from typing import Any, ClassVar

import django_filters
import django_tables2 as tables
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from kaifaqu.core.pagination import keyset_page
from kaifaqu.core.policy import access_policy


class BusinessView(View):
    """A page of business data: only users whose business role allows ``required_action`` (not
    the three administrators alone) may open it; anyone else gets 403, recorded as a security
    event. Which objects they reach is then up to ``restrict()``."""

    required_action: ClassVar[str] = "view"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access_policy().has_business_role(request.user, self.required_action):
            raise PermissionDenied("您的角色无权执行此操作")
        return super().dispatch(request, *args, **kwargs)


class ObjectListView(BusinessView):
    """A filtered, keyset-paged table. An htmx request gets only the results fragment back."""

    queryset: ClassVar[QuerySet[Any]]
    filterset_class: ClassVar[type[django_filters.FilterSet]]
    table_class: ClassVar[type[tables.Table]]
    export_kind: ClassVar[str | None] = None  # the intake kind this list exports as
    newest_first: ClassVar[bool] = False
    template_name: ClassVar[str] = "core/object_list.html"
    results_template_name: ClassVar[str] = "core/includes/list_results.html"
    title: ClassVar[str]

    def get(self, request: HttpRequest) -> HttpResponse:
        filterset = self.filterset_class(
            request.GET, queryset=self.queryset.restrict(request.user, "view"), request=request
        )
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        page = keyset_page(queryset, request.GET, descending=self.newest_first)
        context = {
            "title": self.title,
            "filterset": filterset,
            "table": self.table_class(page.rows),
            "page": page,
            "count": queryset.count(),
            "query": _query_without_cursor(request),
            "export_kind": self.export_kind,
        }
        template = self.results_template_name if request.htmx else self.template_name
        return render(request, template, context)


class ObjectDetailView(BusinessView):
    """One object; outside the user's scope it does not exist (404)."""

    queryset: ClassVar[QuerySet[Any]]
    template_name: ClassVar[str]

    def get_extra_context(self, request: HttpRequest, instance: Any) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instance: Model = get_object_or_404(self.queryset.restrict(request.user, "view"), pk=pk)
        context = {"object": instance, **self.get_extra_context(request, instance)}
        return render(request, self.template_name, context)


def _query_without_cursor(request: HttpRequest) -> str:
    params = request.GET.copy()
    for name in ("after", "before"):
        params.pop(name, None)
    return params.urlencode()
