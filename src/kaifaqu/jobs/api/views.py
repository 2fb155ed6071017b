from typing import ClassVar

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.jobs.api.filtersets import JobFilterSet
from kaifaqu.jobs.api.serializers import JobSerializer
from kaifaqu.jobs.models import Job


class JobViewSet(ScopedReadViewSet):
    """您提交的后台任务:状态、进度、结果摘要,以及结果文件(如有)的下载地址。只读。"""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    filterset_class = JobFilterSet
    # Newest first, as on the jobs page; the id (a UUID) says nothing of order.
    ordering: ClassVar[tuple[str, ...]] = ("-created",)
    ordering_fields: ClassVar[tuple[str, ...]] = ("created",)
