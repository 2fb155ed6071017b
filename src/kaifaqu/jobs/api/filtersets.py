import django_filters

from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.models import Job


class JobFilterSet(django_filters.FilterSet):
    kind = django_filters.CharFilter(label="任务类型")
    state = django_filters.ChoiceFilter(choices=JobState.choices, label="状态")

    class Meta:
        model = Job
        fields = ["kind", "state"]
