import django_filters

from kaifaqu.jobs.choices import JobState
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.registry import JOB_KINDS


def kind_choices() -> list[tuple[str, str]]:
    """Every registered kind (apps register theirs when they load), by label."""
    return sorted(((kind.code, kind.label) for kind in JOB_KINDS.values()), key=lambda c: c[1])


class JobFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=kind_choices, label="任务", empty_label="全部")
    state = django_filters.ChoiceFilter(choices=JobState.choices, label="状态", empty_label="全部")

    class Meta:
        model = Job
        fields = ["kind", "state"]
