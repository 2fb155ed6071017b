import django_filters

from kaifaqu.intake.choices import BatchState, ImportKind
from kaifaqu.intake.models import ImportBatch


class ImportBatchFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=ImportKind.choices, label="导入类型")
    state = django_filters.ChoiceFilter(choices=BatchState.choices, label="状态")

    class Meta:
        model = ImportBatch
        fields = ["kind", "state"]
