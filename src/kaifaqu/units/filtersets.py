import django_filters
from django.db.models import Q, QuerySet

from kaifaqu.units.choices import UnitKind
from kaifaqu.units.models import Unit


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称")
    kind = django_filters.ChoiceFilter(choices=UnitKind.choices, label="类别", empty_label="全部")

    class Meta:
        model = Unit
        fields = ["q", "kind"]

    def search(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return queryset.filter(Q(name__icontains=value) | Q(region__name__icontains=value))
