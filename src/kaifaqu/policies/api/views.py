from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.policies import actions
from kaifaqu.policies.api import serializers
from kaifaqu.policies.api.filtersets import (
    PolicyDocumentFilterSet,
    PolicyTaskFilterSet,
    ProgressReportFilterSet,
)
from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProgressReport


class PolicyDocumentViewSet(ScopedReadViewSet):
    """政策文件:标题、文号、发文机关、发文日期与原文。仅返回您辖区内或您所在单位承办任务的文件。"""

    queryset = PolicyDocument.objects.all()
    serializer_class = serializers.PolicyDocumentSerializer
    filterset_class = PolicyDocumentFilterSet
    ordering_fields = ("id", "issued")


class PolicyTaskViewSet(ScopedReadViewSet):
    """政策任务:确认后按牵头单位转入督办的任务。仅返回您可见的督办事项对应的任务。"""

    queryset = PolicyTask.objects.select_related("item", "proposal")
    serializer_class = serializers.PolicyTaskSerializer
    filterset_class = PolicyTaskFilterSet


class ProgressReportViewSet(ScopedReadViewSet):
    """进展填报:责任单位对政策任务的进展报送。仅返回您可见任务的报送。"""

    queryset = ProgressReport.objects.all()
    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilterSet
    ordering_fields = ("id", "due", "submitted")

    @extend_schema(
        summary="填报进展",
        description="任务牵头或配合单位的成员填报进展:指定报送期次则填报该期,否则新增一次报送。",
        request=serializers.ProgressReportCreateSerializer,
        responses={201: serializers.ProgressReportSerializer},
    )
    def create(self, request: Request) -> Response:
        data = serializers.ProgressReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        task = PolicyTask.objects.restrict(request.user, "change").filter(pk=values["task"]).first()
        if task is None:
            raise ValidationError({"task": ["政策任务不存在或不在您的数据范围内"]})
        report = None
        if values.get("report") is not None:
            report = task.reports.filter(pk=values["report"]).first()
            if report is None:
                raise ValidationError({"report": ["该任务没有这一期报送"]})
        try:
            saved = actions.report_progress(
                task,
                text=values["text"],
                figure=values.get("figure"),
                report=report,
                acting_user=request.user,
            )
        except actions.Refused as refusal:
            raise ValidationError({"text": [str(refusal)]}) from refusal
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)
