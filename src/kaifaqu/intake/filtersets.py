import django_filters
from django.db.models import QuerySet

from kaifaqu.intake.choices import BatchState, ImportKind
from kaifaqu.intake.models import ImportBatch


class ImportBatchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="文件名")
    kind = django_filters.ChoiceFilter(choices=ImportKind.choices, label="类型", empty_label="全部")
    state = django_filters.ChoiceFilter(
        choices=BatchState.choices, label="状态", empty_label="全部"
    )

    class Meta:
        model = ImportBatch
        fields = ["q", "kind", "state"]

    def search(
        self, queryset: QuerySet[ImportBatch], name: str, value: str
    ) -> QuerySet[ImportBatch]:
        return queryset.filter(file_name__icontains=value)
