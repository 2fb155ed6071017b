from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.intake.api.filtersets import ImportBatchFilterSet
from kaifaqu.intake.api.serializers import ImportBatchSerializer
from kaifaqu.intake.models import ImportBatch


class ImportBatchViewSet(ScopedReadViewSet):
    """您上传的导入批次:状态、统计与问题汇总(逐条问题见问题清单下载)。只读。"""

    queryset = ImportBatch.objects.all()
    serializer_class = ImportBatchSerializer
    filterset_class = ImportBatchFilterSet
