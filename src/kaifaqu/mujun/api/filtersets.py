import django_filters

from kaifaqu.api.filters import IdFilter
from kaifaqu.mujun.choices import ResultStatus, RunState
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Scheme

# Related rows are filtered by id (IdFilter), not checked against a table: an id outside the
# caller's scope then gives an empty list, like an id that does not exist.


class SchemeFilterSet(django_filters.FilterSet):
    preset = django_filters.CharFilter(label="来源预置方案")
    region = IdFilter(label="所属区划 ID")
    zone = IdFilter(label="所属开发区 ID")

    class Meta:
        model = Scheme
        fields = ["preset", "region", "zone"]


class EvaluationRunFilterSet(django_filters.FilterSet):
    scheme = IdFilter(label="评价方案 ID")
    region = IdFilter(label="评价区划 ID")
    zone = IdFilter(label="评价开发区 ID")
    state = django_filters.ChoiceFilter(choices=RunState.choices, label="状态")

    class Meta:
        model = EvaluationRun
        fields = {"year": ["exact", "gte", "lte"]}


class EvaluationResultFilterSet(django_filters.FilterSet):
    # Required: a run's rows are read through the (run, zone, id) index; all runs at once are not.
    run = IdFilter(required=True, label="评价批次 ID(必填)")
    zone = IdFilter(label="所在开发区 ID")
    grade = django_filters.CharFilter(label="等级,如 A、B、C、D")
    pool = django_filters.CharFilter(label="评价池代码")
    status = django_filters.ChoiceFilter(choices=ResultStatus.choices, label="状态")

    class Meta:
        model = EvaluationResult
        fields = ["run", "zone", "grade", "pool", "status"]
