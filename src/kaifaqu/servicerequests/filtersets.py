import django_filters
from django.db.models import Q, QuerySet

from kaifaqu.servicerequests.choices import Category, Channel, Complexity, Rating, Stage
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.servicerequests.statistics import FIGURE_LABELS, drill_q
from kaifaqu.supervision.choices import RUNNING_STATES


class ServiceRequestFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="编号、企业或内容")
    category = django_filters.ChoiceFilter(
        choices=Category.choices, label="类别", empty_label="全部"
    )
    stage = django_filters.ChoiceFilter(
        field_name="current_stage", choices=Stage.choices, label="状态", empty_label="全部"
    )
    complexity = django_filters.ChoiceFilter(
        choices=Complexity.choices, label="复杂程度", empty_label="全部"
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="渠道", empty_label="全部")
    rating = django_filters.ChoiceFilter(choices=Rating.choices, label="评价", empty_label="全部")
    zone = django_filters.NumberFilter(field_name="zone", label="开发区编号")
    enterprise = django_filters.NumberFilter(field_name="enterprise", label="企业编号")
    lead_unit = django_filters.NumberFilter(field_name="item__lead_unit", label="牵头单位编号")
    overdue = django_filters.BooleanFilter(method="only_overdue", label="仅逾期")
    filed_from = django_filters.DateFilter(
        field_name="item__opened", lookup_expr="gte", label="登记日期自"
    )
    filed_to = django_filters.DateFilter(
        field_name="item__opened", lookup_expr="lte", label="登记日期至"
    )
    figure = django_filters.ChoiceFilter(
        choices=list(FIGURE_LABELS.items()), method="by_figure", label="统计口径",
        empty_label="全部",
    )  # fmt: skip
    start = django_filters.DateFilter(method="in_period", label="统计期自")
    end = django_filters.DateFilter(method="in_period", label="统计期至")

    class Meta:
        model = ServiceRequest
        fields = [
            "q", "category", "stage", "complexity", "channel", "rating", "zone", "lead_unit",
            "overdue", "filed_from", "filed_to", "figure", "start", "end", "enterprise",
        ]  # fmt: skip

    def search(
        self, queryset: QuerySet[ServiceRequest], name: str, value: str
    ) -> QuerySet[ServiceRequest]:
        return queryset.filter(
            Q(item__number__iexact=value)
            | Q(enterprise__name__icontains=value)
            | Q(description__icontains=value)
        )

    def only_overdue(
        self, queryset: QuerySet[ServiceRequest], name: str, value: bool | None
    ) -> QuerySet[ServiceRequest]:
        if value is None:
            return queryset
        overdue = Q(item__state__in=RUNNING_STATES, item__light__in=("yellow", "red"))
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def by_figure(
        self, queryset: QuerySet[ServiceRequest], name: str, value: str
    ) -> QuerySet[ServiceRequest]:
        """The requests behind one figure of the statistics page, over [start, end] (both
        needed; without them the figure is ignored)."""
        start, end = self.form.cleaned_data.get("start"), self.form.cleaned_data.get("end")
        if not value or start is None or end is None:
            return queryset
        return queryset.filter(drill_q(value, start=start, end=end))

    def in_period(
        self, queryset: QuerySet[ServiceRequest], name: str, value: object
    ) -> QuerySet[ServiceRequest]:
        return queryset  # the period only qualifies ``figure``
