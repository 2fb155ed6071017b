"""Filters of the 亩均 lists: read from the query string by their forms, never by hand."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from kaifaqu.mujun.choices import ObjectionState, ResultStatus, RunState
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry, Scheme
from kaifaqu.zones.models import Zone


class ZoneInScopeFilterSet(django_filters.FilterSet):
    """A filterset whose ``zone`` choices are the zones the requesting user may read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "zone" in self.filters and self.request is not None:
            zones = Zone.objects.restrict(self.request.user).order_by("code")
            zone = self.filters["zone"]
            assert isinstance(zone, django_filters.ModelChoiceFilter)
            zone.queryset = zones


class SchemeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="方案名称")

    class Meta:
        model = Scheme
        fields = ["q"]

    def search(self, queryset: QuerySet[Scheme], name: str, value: str) -> QuerySet[Scheme]:
        return queryset.filter(Q(name__icontains=value) | Q(preset__iexact=value))


class RunFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    state = django_filters.ChoiceFilter(choices=RunState.choices, label="状态", empty_label="全部")

    class Meta:
        model = EvaluationRun
        fields = ["year", "state"]


class ZoneResultFilterSet(ZoneInScopeFilterSet):
    """The results of one run in one zone: by grade, status, or an enterprise's name or USCC."""

    q = django_filters.CharFilter(method="search", label="企业名称或信用代码")
    grade = django_filters.CharFilter(label="等级", max_length=4)
    status = django_filters.ChoiceFilter(
        choices=ResultStatus.choices, label="状态", empty_label="全部"
    )

    class Meta:
        model = EvaluationResult
        fields = ["q", "grade", "status"]

    def search(
        self, queryset: QuerySet[EvaluationResult], name: str, value: str
    ) -> QuerySet[EvaluationResult]:
        return queryset.filter(
            Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value)
        )


class ResultFilterSet(ZoneResultFilterSet):
    """The results of one run: also by zone."""

    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.none(), label="开发区", empty_label="全部开发区"
    )

    class Meta:
        model = EvaluationResult
        fields = ["q", "zone", "grade", "status"]


class PolicyFilterSet(ZoneInScopeFilterSet):
    """A run's enterprises by the grade they are managed as (which decides their policies), by
    zone, or by name or USCC; the grades offered are those of the rows being filtered."""

    q = django_filters.CharFilter(method="search", label="企业名称或信用代码")
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.none(), label="开发区", empty_label="全部开发区"
    )
    managed_grade = django_filters.ChoiceFilter(label="管理等级", empty_label="全部")

    search = ZoneResultFilterSet.search

    class Meta:
        model = EvaluationResult
        fields = ["q", "zone", "managed_grade"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.queryset is not None
        grades = self.queryset.order_by("managed_grade").values_list("managed_grade", flat=True)
        self.filters["managed_grade"].extra["choices"] = [(g, g) for g in grades.distinct()]


class PointsFilterSet(ZoneInScopeFilterSet):
    year = django_filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.none(), label="开发区", empty_label="全部"
    )

    class Meta:
        model = PointsEntry
        fields = ["year", "zone"]


class ObjectionFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=ObjectionState.choices, label="状态", empty_label="全部"
    )

    class Meta:
        model = Objection
        fields = ["state"]
