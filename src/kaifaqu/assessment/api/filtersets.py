import django_filters

from kaifaqu.api.filters import IdFilter
from kaifaqu.assessment.choices import RankingLevel, RunState
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, ZoneResult


class AssessmentFrameworkFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label="方案代码")
    owner = IdFilter(label="所属单位(区划)ID")
    preset = django_filters.BooleanFilter(
        field_name="owner", lookup_expr="isnull", label="是否系统预置方案"
    )

    class Meta:
        model = AssessmentFramework
        fields = ["code", "owner"]


class AssessmentRunFilterSet(django_filters.FilterSet):
    framework = IdFilter(field_name="version__framework", label="考核评价方案 ID")
    state = django_filters.ChoiceFilter(choices=RunState.choices, label="状态")
    level = django_filters.ChoiceFilter(choices=RankingLevel.choices, label="排名层级")

    class Meta:
        model = AssessmentRun
        fields = {"year": ["exact", "gte", "lte"]}


class RankingFilterSet(django_filters.FilterSet):
    # Required: a ranking is one run's; the rows of every run at once are no ranking.
    run = IdFilter(required=True, label="考核评价运行 ID(必填)")
    group = django_filters.CharFilter(label="比较组")

    class Meta:
        model = ZoneResult
        fields = ["run", "group"]
