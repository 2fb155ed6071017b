from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.investment.api.filtersets import (
    FundArrivalFilterSet,
    ProjectFilterSet,
    StageChangeFilterSet,
    VisitFilterSet,
)
from kaifaqu.investment.api.serializers import (
    FundArrivalSerializer,
    ProjectSerializer,
    StageChangeSerializer,
    VisitSerializer,
)
from kaifaqu.investment.models import FundArrival, Project, StageChange, Visit


class ProjectViewSet(ScopedReadViewSet):
    """招商项目:投资方、行业、投资额、计划日期与当前阶段。仅返回您数据范围内开发区的项目。"""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = ("id", "stage_entered", "total_investment")


class StageChangeViewSet(ScopedReadViewSet):
    """项目阶段变更记录(只增不改;撤销为一条新的记录)。仅返回您可见项目的记录。"""

    queryset = StageChange.objects.all()
    serializer_class = StageChangeSerializer
    filterset_class = StageChangeFilterSet
    ordering_fields = ("id", "occurred_on", "recorded_at")


class VisitViewSet(ScopedReadViewSet):
    """拜访记录:洽谈情况、下一步工作与提醒日期。"""

    queryset = Visit.objects.all()
    serializer_class = VisitSerializer
    filterset_class = VisitFilterSet
    ordering_fields = ("id", "visited_on")


class FundArrivalViewSet(ScopedReadViewSet):
    """资金到位记录(证明材料见项目附件)。"""

    queryset = FundArrival.objects.all()
    serializer_class = FundArrivalSerializer
    filterset_class = FundArrivalFilterSet
    ordering_fields = ("id", "arrived_on")
