from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.supervision.api.filtersets import LogEntryFilterSet, SupervisedItemFilterSet
from kaifaqu.supervision.api.serializers import LogEntrySerializer, SupervisedItemSerializer
from kaifaqu.supervision.models import LogEntry, SupervisedItem


class SupervisedItemViewSet(ScopedReadViewSet):
    """督办事项:编号、牵头单位、层级、时限与状态。仅返回您数据范围内或您所在单位承办的事项。"""

    queryset = SupervisedItem.objects.select_related("kind", "lead_unit").prefetch_related(
        "supporting_units"
    )
    serializer_class = SupervisedItemSerializer
    filterset_class = SupervisedItemFilterSet
    ordering_fields = ("id", "deadline", "opened")


class LogEntryViewSet(ScopedReadViewSet):
    """督办记录(派单、签收、退回、督办、升级、延期审批、办结)。仅返回您可见事项的记录。"""

    queryset = LogEntry.objects.all()
    serializer_class = LogEntrySerializer
    filterset_class = LogEntryFilterSet
    ordering_fields = ("id", "time")
