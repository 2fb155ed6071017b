from kaifaqu.api.viewsets import ScopedModelViewSet
from kaifaqu.enterprises.api.filtersets import EnterpriseEventFilterSet, EnterpriseYearFilterSet
from kaifaqu.enterprises.api.serializers import (
    EnterpriseEventSerializer,
    EnterpriseSerializer,
    EnterpriseYearSerializer,
)
from kaifaqu.enterprises.filtersets import EnterpriseFilterSet
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear


class EnterpriseViewSet(ScopedModelViewSet):
    """企业档案,以统一社会信用代码标识。仅返回您数据范围内的开发区的企业。"""

    queryset = Enterprise.objects.prefetch_related("tags")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ("id", "uscc", "name")


class EnterpriseYearViewSet(ScopedModelViewSet):
    """企业年度统计数据(金额单位:万元;缺失值为 null,不等于 0)。"""

    queryset = EnterpriseYear.objects.all()
    serializer_class = EnterpriseYearSerializer
    filterset_class = EnterpriseYearFilterSet


class EnterpriseEventViewSet(ScopedModelViewSet):
    """企业事件:重大安全或环境事故、列入或移出失信名单。"""

    queryset = EnterpriseEvent.objects.all()
    serializer_class = EnterpriseEventSerializer
    filterset_class = EnterpriseEventFilterSet
