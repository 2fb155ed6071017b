from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.servicerequests import actions, statistics
from kaifaqu.servicerequests.api import serializers
from kaifaqu.servicerequests.api.filtersets import ServiceRequestFilterSet
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.supervision.actions import Refused
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.supervision.statistics import FIGURES


class ServiceRequestViewSet(ScopedReadViewSet):
    """企业诉求:企业自助提交或热线登记的诉求及其办理结果(阶段、时限、答复、评价)。仅返回您数据
    范围内、您所在单位承办的,或(企业用户)本企业的诉求。"""

    queryset = ServiceRequest.objects.select_related("item")
    serializer_class = serializers.ServiceRequestSerializer
    filterset_class = ServiceRequestFilterSet
    ordering_fields = ("id", "filed")

    @extend_schema(
        summary="推送热线诉求",
        description=(
            "外部热线系统(如 12345)为来电人登记一件诉求。按(来源系统, 外部编号)幂等:"
            "同一工单再次推送时返回已登记的诉求(200),不会重复登记。"
        ),
        request=serializers.ServiceRequestCallSerializer,
        responses={
            201: serializers.ServiceRequestSerializer,
            200: OpenApiResponse(serializers.ServiceRequestSerializer, "该工单已登记,返回原诉求"),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = serializers.ServiceRequestCallSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        try:
            found, created = actions.register_call(
                category=data["category"],
                description=data["description"],
                caller_name=data["caller_name"],
                caller_phone=data["caller_phone"],
                enterprise=data.get("enterprise"),
                zone=data.get("zone"),
                source=data["source"],
                external_ref=data["external_ref"],
                acting_user=request.user,
            )
        except Refused as refusal:
            raise ValidationError(str(refusal)) from refusal
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(found).data, status=answer)

    @extend_schema(
        summary="动态清零统计",
        description=(
            "统计期内按开发区、牵头单位或诉求类别分组的受理、办结、按期办结、逾期、当期清零件数,"
            "按期办结率、清零率、满意率((满意+基本满意)÷已评价,自动办结的不计入)与办结用时"
            "中位数(工作日);最后一行为合计。仅统计您数据范围内的诉求。"
        ),
        parameters=[serializers.StatisticsQuerySerializer],
        responses={200: serializers.StatisticsRowSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filterset_class=None)
    def statistics(self, request: Request) -> Response:
        query = serializers.StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data: dict[str, Any] = query.validated_data
        if data["start"] > data["end"]:
            raise ValidationError({"start": ["统计期的起始日期不能晚于截止日期"]})
        items = statistics.request_items(SupervisedItem.objects.restrict(request.user))
        rows, total = statistics.table(
            items, group=data["group"], start=data["start"], end=data["end"], base_query={}
        )
        payload = [
            {
                "key": None if row.key is None else str(row.key),
                "label": row.label,
                **{name: getattr(row.figures, name) for name in FIGURES},
                "rated": row.rated,
                "satisfied": row.satisfied,
                "on_time_rate": row.figures.on_time_rate,
                "clearing_rate": row.figures.clearing_rate,
                "satisfaction_rate": row.satisfaction_rate,
                "median_working_days": row.figures.median_working_days,
            }
            for row in [*rows, total]
        ]
        return Response(serializers.StatisticsRowSerializer(payload, many=True).data)
