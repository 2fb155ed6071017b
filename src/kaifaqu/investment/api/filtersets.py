import django_filters

from kaifaqu.investment.choices import ChangeKind, Stage
from kaifaqu.investment.models import FundArrival, Project, StageChange, Visit


class ProjectFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label="阶段")

    class Meta:
        model = Project
        fields = {
            "code": ["exact"],
            "zone": ["exact"],
            "leading_industry": ["exact"],
            "ppp": ["exact"],
            "stage_entered": ["gte", "lte"],
        }


class StageChangeFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ChangeKind.choices, label="类别")
    to_stage = django_filters.ChoiceFilter(choices=Stage.choices, label="新阶段")

    class Meta:
        model = StageChange
        fields = {"project": ["exact"], "occurred_on": ["gte", "lte"]}


class VisitFilterSet(django_filters.FilterSet):
    class Meta:
        model = Visit
        fields = {"project": ["exact"], "client": ["exact"], "visited_on": ["gte", "lte"]}


class FundArrivalFilterSet(django_filters.FilterSet):
    class Meta:
        model = FundArrival
        fields = {"project": ["exact"], "arrived_on": ["gte", "lte"]}
