import django_filters

from kaifaqu.enterprises.models import EnterpriseEvent, EnterpriseYear


class EnterpriseYearFilterSet(django_filters.FilterSet):
    uscc = django_filters.CharFilter(field_name="enterprise__uscc", label="统一社会信用代码")

    class Meta:
        model = EnterpriseYear
        fields = {
            "enterprise": ["exact"],
            "zone": ["exact"],
            "year": ["exact", "gte", "lte"],
            "above_scale": ["exact"],
        }


class EnterpriseEventFilterSet(django_filters.FilterSet):
    uscc = django_filters.CharFilter(field_name="enterprise__uscc", label="统一社会信用代码")

    class Meta:
        model = EnterpriseEvent
        fields = {"enterprise": ["exact"], "kind": ["exact"], "date": ["gte", "lte"]}
