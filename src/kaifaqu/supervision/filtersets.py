import django_filters
from django.db.models import Q, QuerySet

from kaifaqu.supervision.choices import RUNNING_STATES, ItemState, Level, Light
from kaifaqu.supervision.models import ItemKind, SupervisedItem


class SupervisedItemFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="编号或事项")
    kind = django_filters.ModelChoiceFilter(
        queryset=ItemKind.objects.all(), label="类型", empty_label="全部"
    )
    state = django_filters.ChoiceFilter(choices=ItemState.choices, label="状态", empty_label="全部")
    level = django_filters.ChoiceFilter(choices=Level.choices, label="层级", empty_label="全部")
    light = django_filters.ChoiceFilter(choices=Light.choices, label="亮灯", empty_label="全部")
    lead_unit = django_filters.NumberFilter(field_name="lead_unit", label="牵头单位编号")
    overdue = django_filters.BooleanFilter(method="only_overdue", label="仅逾期")
    on_board = django_filters.BooleanFilter(label="列入督办台账")

    class Meta:
        model = SupervisedItem
        fields = ["q", "kind", "state", "level", "light", "lead_unit", "overdue", "on_board"]

    def search(
        self, queryset: QuerySet[SupervisedItem], name: str, value: str
    ) -> QuerySet[SupervisedItem]:
        return queryset.filter(Q(number__iexact=value) | Q(title__icontains=value))

    def only_overdue(
        self, queryset: QuerySet[SupervisedItem], name: str, value: bool | None
    ) -> QuerySet[SupervisedItem]:
        if value is None:
            return queryset
        overdue = Q(state__in=RUNNING_STATES, overdue_days__gt=0)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
