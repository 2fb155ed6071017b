from typing import Any

from django.db.models import QuerySet
from rest_framework.serializers import BaseSerializer

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.publications.api import serializers
from kaifaqu.publications.api.filtersets import PublicationFilterSet
from kaifaqu.publications.choices import PublicationState
from kaifaqu.publications.models import Publication


class PublicationViewSet(ScopedReadViewSet):
    """已发布、且发布范围含您的角色和所在区划的名单(排名通报、公示名单、评价结果名单)。
    只读;只显示发布时公开的字段。列表不含各行,按 id 读取一份名单时给出其全部行。"""

    queryset = Publication.objects.filter(state=PublicationState.PUBLISHED)
    serializer_class = serializers.PublicationDetailSerializer
    filterset_class = PublicationFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        # A list of tens of thousands of rows is read only when one publication is asked for.
        queryset = super().get_queryset()
        return queryset if self.detail else queryset.defer("rows")

    def get_serializer_class(self) -> type[BaseSerializer[Any]]:
        if self.detail:
            return serializers.PublicationDetailSerializer
        return serializers.PublicationSerializer
