from kaifaqu.api.viewsets import ScopedModelViewSet
from kaifaqu.zones.api.filtersets import ZoneYearFilterSet
from kaifaqu.zones.api.serializers import ZoneSerializer, ZoneYearSerializer
from kaifaqu.zones.filtersets import ZoneFilterSet
from kaifaqu.zones.models import Zone, ZoneYear


class ZoneViewSet(ScopedModelViewSet):
    """开发区及其批准设立信息。仅返回您数据范围内的开发区。"""

    queryset = Zone.objects.prefetch_related("leading_industries")
    serializer_class = ZoneSerializer
    filterset_class = ZoneFilterSet
    ordering_fields = ("id", "code", "name")


class ZoneYearViewSet(ScopedModelViewSet):
    """开发区年度指标值(长表:开发区 × 年度 × 指标)。仅返回您数据范围内的开发区的数据。"""

    queryset = ZoneYear.objects.all()
    serializer_class = ZoneYearSerializer
    filterset_class = ZoneYearFilterSet
