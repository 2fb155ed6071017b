import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import HttpRequest

from kaifaqu.catalog.choices import IndustryLevel
from kaifaqu.catalog.models import Industry, Tag
from kaifaqu.enterprises.choices import EnterpriseStatus
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.zones.models import Zone

SCALE_CHOICES = (("above", "规上"), ("below", "规下"))


def zones_in_scope(request: HttpRequest | None) -> QuerySet[Zone]:
    user = request.user if request is not None else AnonymousUser()
    return Zone.objects.restrict(user, "view").order_by("code")


class EnterpriseFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="名称或信用代码")
    zone = django_filters.ModelChoiceFilter(
        queryset=zones_in_scope,  # type: ignore[arg-type]  # django-filter calls it with the request
        label="开发区",
        empty_label="全部",
    )
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.all(), method="in_industry", label="行业", empty_label="全部"
    )
    scale = django_filters.ChoiceFilter(
        choices=SCALE_CHOICES, method="by_scale", label="规模(最新年度)", empty_label="全部"
    )
    status = django_filters.ChoiceFilter(
        choices=EnterpriseStatus.choices, label="经营状态", empty_label="全部"
    )
    tags = django_filters.ModelMultipleChoiceFilter(
        queryset=Tag.objects.all(),
        label="标签",
        conjoined=False,
        distinct=False,
        method="with_tags",
    )

    class Meta:
        model = Enterprise
        fields = ["q", "zone", "industry", "scale", "status", "tags"]

    def search(self, queryset: QuerySet[Enterprise], name: str, value: str) -> QuerySet[Enterprise]:
        value = value.strip()
        if len(value) == 18 and value.isalnum():
            return queryset.filter(uscc=value.upper())
        return queryset.filter(name__icontains=value)

    def in_industry(
        self, queryset: QuerySet[Enterprise], name: str, value: Industry
    ) -> QuerySet[Enterprise]:
        if value.level == IndustryLevel.SECTION:
            return queryset.filter(industry__parent=value)
        return queryset.filter(industry=value)

    def by_scale(
        self, queryset: QuerySet[Enterprise], name: str, value: str
    ) -> QuerySet[Enterprise]:
        latest = EnterpriseYear.objects.aggregate(year=Max("year"))["year"]
        rows = EnterpriseYear.objects.filter(
            enterprise=OuterRef("pk"), year=latest, above_scale=True
        )
        return queryset.filter(Exists(rows) if value == "above" else ~Exists(rows))

    def with_tags(
        self, queryset: QuerySet[Enterprise], name: str, value: list[Tag]
    ) -> QuerySet[Enterprise]:
        if not value:
            return queryset
        tagged = Enterprise.tags.through.objects.filter(enterprise_id=OuterRef("pk"), tag__in=value)
        return queryset.filter(Exists(tagged))
