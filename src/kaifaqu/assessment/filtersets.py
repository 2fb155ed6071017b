"""Filters of the assessment lists: runs, a run's ranking and status list, targets, deductions."""

from typing import Any

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from kaifaqu.assessment.choices import DeductionItem, RankingLevel, RuleAction, RunState
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    Finding,
    RankTarget,
    Target,
    ZoneResult,
)
from kaifaqu.catalog.models import Indicator

YEAR = {"min_value": 2000, "max_value": 2100}


def _frameworks(request: HttpRequest | None) -> QuerySet[AssessmentFramework]:
    user = request.user if request is not None else AnonymousUser()
    return AssessmentFramework.objects.restrict(user).order_by("owner_id", "code")


class ZoneSearchFilterSet(django_filters.FilterSet):
    """A list of rows of one zone each, searched by the zone's name or code."""

    q = django_filters.CharFilter(method="search", label="开发区名称或代码")

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(zone__name__icontains=value) | Q(zone__code__iexact=value))


class FrameworkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="方案名称或代码")
    preset = django_filters.BooleanFilter(
        field_name="owner", lookup_expr="isnull", label="系统预置"
    )

    class Meta:
        model = AssessmentFramework
        fields = ["q", "preset"]

    def search(
        self, queryset: QuerySet[AssessmentFramework], name: str, value: str
    ) -> QuerySet[AssessmentFramework]:
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))


class RunFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="考核年度")
    framework = django_filters.ModelChoiceFilter(
        field_name="version__framework",
        queryset=_frameworks,  # type: ignore[arg-type]  # django-filter calls it with the request
        label="考核方案",
        empty_label="全部",
    )
    state = django_filters.ChoiceFilter(choices=RunState.choices, label="状态", empty_label="全部")

    class Meta:
        model = AssessmentRun
        fields = ["year", "framework", "state"]


class ResultFilterSet(ZoneSearchFilterSet):
    """A run's ranking; the comparison groups offered are those of the rows being filtered."""

    group = django_filters.ChoiceFilter(label="比较组", empty_label="全部")

    class Meta:
        model = ZoneResult
        fields = ["group", "q"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert self.queryset is not None
        groups = self.queryset.exclude(group="").order_by("group").values_list("group", flat=True)
        self.filters["group"].extra["choices"] = [(g, g) for g in groups.distinct()]


class FindingFilterSet(ZoneSearchFilterSet):
    action = django_filters.ChoiceFilter(
        choices=RuleAction.choices, label="处理", empty_label="全部"
    )

    class Meta:
        model = Finding
        fields = ["q", "action"]


class TargetFilterSet(ZoneSearchFilterSet):
    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.order_by("code"), label="指标", empty_label="全部"
    )
    year = django_filters.NumberFilter(label="目标年度")

    class Meta:
        model = Target
        fields = ["q", "indicator", "year"]


class RankTargetFilterSet(ZoneSearchFilterSet):
    level = django_filters.ChoiceFilter(
        choices=RankingLevel.choices, label="排名层级", empty_label="全部"
    )
    year = django_filters.NumberFilter(label="目标年度")

    class Meta:
        model = RankTarget
        fields = ["q", "level", "year"]


class DeductionFilterSet(ZoneSearchFilterSet):
    year = django_filters.NumberFilter(label="年度")
    item = django_filters.ChoiceFilter(
        choices=DeductionItem.choices, label="事项", empty_label="全部"
    )

    class Meta:
        model = Deduction
        fields = ["q", "year", "item"]
