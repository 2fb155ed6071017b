import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from kaifaqu.catalog.models import Industry
from kaifaqu.investment.choices import ClientSource, Stage
from kaifaqu.investment.models import Project, TargetClient
from kaifaqu.zones.models import Zone


class ProjectFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="项目名称、编号或投资方")
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.all(), label="开发区", empty_label="全部"
    )
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="阶段", empty_label="全部")
    leading_industry = django_filters.BooleanFilter(label="主导产业项目")
    industry = django_filters.ModelChoiceFilter(
        queryset=Industry.objects.filter(level="division"), label="行业大类", empty_label="全部"
    )
    ppp = django_filters.BooleanFilter(label="PPP项目")
    min_investment = django_filters.NumberFilter(
        field_name="total_investment", lookup_expr="gte", label="总投资不低于(万元)"
    )

    class Meta:
        model = Project
        fields = ["q", "zone", "stage", "leading_industry", "industry", "ppp", "min_investment"]

    def __init__(self, *args: object, request: object = None, **kwargs: object) -> None:
        super().__init__(*args, request=request, **kwargs)  # type: ignore[arg-type]
        user = getattr(request, "user", AnonymousUser())
        self.filters["zone"].queryset = Zone.objects.restrict(user)  # type: ignore[attr-defined]

    def search(self, queryset: QuerySet[Project], name: str, value: str) -> QuerySet[Project]:
        return queryset.filter(
            Q(name__icontains=value) | Q(code__iexact=value) | Q(investor__icontains=value)
        )


class ClientFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="company", lookup_expr="icontains", label="企业名称")
    source = django_filters.ChoiceFilter(
        choices=ClientSource.choices, label="客户来源", empty_label="全部"
    )

    class Meta:
        model = TargetClient
        fields = ["q", "source"]
