import django_filters

from kaifaqu.catalog.models import Indicator, Industry, Region


class RegionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["code", "level", "parent", "province_code"]


class IndustryFilterSet(django_filters.FilterSet):
    class Meta:
        model = Industry
        fields = ["code", "level", "parent"]


class IndicatorFilterSet(django_filters.FilterSet):
    class Meta:
        model = Indicator
        fields = ["code", "direction"]
