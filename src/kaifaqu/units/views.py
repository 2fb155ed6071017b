from typing import Any

from django.http import HttpRequest

from kaifaqu.core.views import ObjectDetailView, ObjectListView
from kaifaqu.units.filtersets import UnitFilterSet
from kaifaqu.units.models import Unit
from kaifaqu.units.tables import UnitTable


class UnitListView(ObjectListView):
    queryset = Unit.objects.select_related("region", "zone", "parent")
    filterset_class = UnitFilterSet
    table_class = UnitTable
    title = "单位"


class UnitDetailView(ObjectDetailView):
    queryset = Unit.objects.select_related("region", "zone", "parent")
    template_name = "units/unit_detail.html"

    def get_extra_context(self, request: HttpRequest, instance: Unit) -> dict[str, Any]:
        return {
            "members": instance.memberships.select_related("user").order_by("user__username"),
            "children": instance.children.restrict(request.user),
        }
