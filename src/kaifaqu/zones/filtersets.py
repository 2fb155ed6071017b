import django_filters
from django.db.models import Q, QuerySet

from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.catalog.models import Region
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone


class ZoneFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称或代码")
    kind = django_filters.ChoiceFilter(choices=ZoneKind.choices, label="类型", empty_label="全部")
    city = django_filters.ModelChoiceFilter(
        queryset=Region.objects.filter(level=RegionLevel.CITY),
        method="in_city",
        label="所在城市",
        empty_label="全部",
    )
    comparison_group = django_filters.CharFilter(label="比较组")

    class Meta:
        model = Zone
        fields = ["q", "kind", "city", "comparison_group"]

    def search(self, queryset: QuerySet[Zone], name: str, value: str) -> QuerySet[Zone]:
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))

    def in_city(self, queryset: QuerySet[Zone], name: str, value: Region) -> QuerySet[Zone]:
        return queryset.filter(Q(region=value) | Q(region__parent=value))
