import django_filters
from django.db.models import Q, QuerySet

from kaifaqu.policies.models import PolicyDocument, PolicyTask
from kaifaqu.supervision.choices import ItemState


class PolicyDocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="标题或文号")
    issued_after = django_filters.DateFilter(
        field_name="issued", lookup_expr="gte", label="发文日期起"
    )

    class Meta:
        model = PolicyDocument
        fields = ["q", "issued_after"]

    def search(
        self, queryset: QuerySet[PolicyDocument], name: str, value: str
    ) -> QuerySet[PolicyDocument]:
        return queryset.filter(Q(title__icontains=value) | Q(doc_number__icontains=value))


class PolicyTaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="编号或措施")
    document = django_filters.NumberFilter(field_name="document", label="文件编号")
    lead_unit = django_filters.NumberFilter(field_name="lead_unit", label="牵头单位编号")
    state = django_filters.ChoiceFilter(
        field_name="item__state", choices=ItemState.choices, label="办理状态", empty_label="全部"
    )

    class Meta:
        model = PolicyTask
        fields = ["q", "document", "lead_unit", "state"]

    def search(self, queryset: QuerySet[PolicyTask], name: str, value: str) -> QuerySet[PolicyTask]:
        return queryset.filter(
            Q(item__number__iexact=value) | Q(proposal__heading__icontains=value)
        )


class InspectionFilterSet(PolicyTaskFilterSet):
    class Meta:
        model = PolicyTask
        fields = ["document", "lead_unit"]
