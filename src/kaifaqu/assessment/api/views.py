from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.assessment import actions
from kaifaqu.assessment.api import serializers
from kaifaqu.assessment.api.filtersets import (
    AssessmentFrameworkFilterSet,
    AssessmentRunFilterSet,
    RankingFilterSet,
)
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, ZoneResult


class AssessmentFrameworkViewSet(ScopedReadViewSet):
    """开发区考核评价方案及其各版本:系统预置方案,及您所在单位和上级单位的方案。只读。"""

    queryset = AssessmentFramework.objects.prefetch_related("versions")
    serializer_class = serializers.AssessmentFrameworkSerializer
    filterset_class = AssessmentFrameworkFilterSet


class AssessmentRunViewSet(ScopedReadViewSet):
    """开发区考核评价运行:您发起的、含您数据范围内开发区的,以及排名已向您通报的运行。"""

    queryset = AssessmentRun.objects.select_related("job", "version")
    serializer_class = serializers.AssessmentRunSerializer
    filterset_class = AssessmentRunFilterSet

    @extend_schema(
        summary="发起考核评价",
        description=(
            "按方案的最新版本,考核您数据范围内(可限定省份与开发区类型)的开发区。"
            "计算在后台进行,返回的运行带有计算任务(job),可轮询本运行跟进进度;"
            "同一计算已在排队时返回排队中的那一次。"
        ),
        request=serializers.AssessmentRunStartSerializer,
        responses={201: serializers.AssessmentRunSerializer},
    )
    def create(self, request: Request) -> Response:
        serializer = serializers.AssessmentRunStartSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        version = data["framework"].latest()
        if version is None:
            raise ValidationError({"framework": ["该方案没有任何版本"]})
        kind = data["zone_kind"]
        run = actions.start_run(
            version,
            year=data["year"],
            province_code=data["province_code"],
            zone_kind="" if kind == serializers.ALL_KINDS else kind,
            acting_user=request.user,
        )
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


class RankingViewSet(ScopedReadViewSet):
    """考核排名:一次运行中各开发区的公布名次、名次区间(P5–P95)、综合得分与维度得分、进位。
    包括您数据范围内的开发区,以及排名已向您通报的运行中的全部开发区。"""

    queryset = ZoneResult.objects.select_related("zone", "run")
    serializer_class = serializers.RankingRowSerializer
    filterset_class = RankingFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        rows: QuerySet[Any] = self.queryset.ranking(self.request.user)
        return rows

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The list's filters (``run`` required) do not apply to reading one row by its id.
        return queryset if self.detail else super().filter_queryset(queryset)
