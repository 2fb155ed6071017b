import django_filters

from kaifaqu.zones.models import ZoneYear


class ZoneYearFilterSet(django_filters.FilterSet):
    zone_code = django_filters.CharFilter(field_name="zone__code", label="开发区代码")
    indicator_code = django_filters.CharFilter(field_name="indicator__code", label="指标代码")

    class Meta:
        model = ZoneYear
        fields = {"zone": ["exact"], "indicator": ["exact"], "year": ["exact", "gte", "lte"]}
