import django_filters

from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProgressReport


class PolicyDocumentFilterSet(django_filters.FilterSet):
    class Meta:
        model = PolicyDocument
        fields = {"issued": ["gte", "lte"], "region": ["exact"], "zone": ["exact"]}


class PolicyTaskFilterSet(django_filters.FilterSet):
    class Meta:
        model = PolicyTask
        fields = {"document": ["exact"], "lead_unit": ["exact"], "item": ["exact"]}


class ProgressReportFilterSet(django_filters.FilterSet):
    class Meta:
        model = ProgressReport
        fields = {"task": ["exact"], "due": ["gte", "lte"], "submitted": ["gte", "lte"]}
