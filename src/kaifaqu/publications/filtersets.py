import django_filters
from django.db.models import QuerySet

from kaifaqu.publications.choices import PublicationKind, PublicationState
from kaifaqu.publications.models import Publication


class PublicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="标题")
    kind = django_filters.ChoiceFilter(
        choices=PublicationKind.choices, label="类别", empty_label="全部"
    )
    state = django_filters.ChoiceFilter(
        choices=PublicationState.choices, label="状态", empty_label="全部"
    )

    class Meta:
        model = Publication
        fields = ["q", "kind", "state"]

    def search(
        self, queryset: QuerySet[Publication], name: str, value: str
    ) -> QuerySet[Publication]:
        return queryset.filter(title__icontains=value)
