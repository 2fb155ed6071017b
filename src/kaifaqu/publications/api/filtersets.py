import django_filters

from kaifaqu.publications.choices import PublicationKind
from kaifaqu.publications.models import Publication


class PublicationFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=PublicationKind.choices, label="类别")

    class Meta:
        model = Publication
        fields = ["kind"]
