from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.catalog.models import Region
from kaifaqu.mujun import actions
from kaifaqu.mujun.api import serializers
from kaifaqu.mujun.api.filtersets import (
    EvaluationResultFilterSet,
    EvaluationRunFilterSet,
    SchemeFilterSet,
)
from kaifaqu.mujun.card import points_note, result_card
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, PointsEntry, Scheme


def _office_region(user: ActingUser) -> Region | None:
    """The division of a caller bound to one (a bureau), else None."""
    profile = user_profile(user)
    return profile.region if profile is not None else None


def _validated(serializer_class: type[Serializer], view: ScopedReadViewSet) -> dict[str, Any]:  # type: ignore[type-arg]
    serializer = serializer_class(data=view.request.data, context=view.get_serializer_context())
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    return data


class SchemeViewSet(ScopedReadViewSet):
    """亩均评价方案:各地主管部门由预置方案复制,修改后保存为新版本。仅返回您辖区内的方案。"""

    queryset = Scheme.objects.all()
    serializer_class = serializers.SchemeSerializer
    filterset_class = SchemeFilterSet

    @extend_schema(
        summary="复制预置方案",
        description="把一个预置方案复制为您所在区划的方案(第 1 版)。仅限区划主管部门的用户。",
        request=serializers.SchemeCopySerializer,
        responses={201: serializers.SchemeSerializer},
    )
    def create(self, request: Request) -> Response:
        region = _office_region(request.user)
        if region is None:
            raise PermissionDenied("只有区划主管部门的用户可以建立评价方案")
        data = _validated(serializers.SchemeCopySerializer, self)
        scheme = actions.copy_preset(
            data["preset"], region=region, name=data["name"], acting_user=request.user
        )
        return Response(self.get_serializer(scheme).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="保存为新版本",
        description="以修改后的方案内容保存为该方案的新版本;原版本及用它计算的批次保持不变。",
        request=serializers.SchemeVersionSerializer,
        responses={201: serializers.SchemeSerializer},
    )
    @action(detail=True, methods=["post"])
    def versions(self, request: Request, pk: str | None = None) -> Response:
        scheme = self.get_object()
        data = _validated(serializers.SchemeVersionSerializer, self)
        new = actions.save_scheme_version(scheme, data["document"], acting_user=request.user)
        return Response(self.get_serializer(new).data, status=status.HTTP_201_CREATED)


class EvaluationRunViewSet(ScopedReadViewSet):
    """亩均评价批次:一个年度、一个辖区、一个方案版本的评价,及其计算任务的进度。"""

    queryset = EvaluationRun.objects.select_related("job")
    serializer_class = serializers.EvaluationRunSerializer
    filterset_class = EvaluationRunFilterSet

    @extend_schema(
        summary="发起评价",
        description=(
            "按所选方案评价一个年度:指定开发区则评价该开发区,否则评价您所在区划。"
            "评价在后台计算,返回的批次带有计算任务(job),可轮询本批次跟进进度。"
        ),
        request=serializers.EvaluationRunStartSerializer,
        responses={201: serializers.EvaluationRunSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _validated(serializers.EvaluationRunStartSerializer, self)
        zone = data["zone"]
        region = zone.region if zone else _office_region(request.user)
        if region is None:
            raise ValidationError({"zone": ["请选择评价的开发区"]})
        run = actions.start_run(
            data["scheme"], year=data["year"], region=region, zone=zone, acting_user=request.user
        )
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)


class EvaluationResultViewSet(ScopedReadViewSet):
    """亩均评价结果:一个批次中每家企业的得分、排名与等级。仅返回您数据范围内的企业。"""

    queryset = EvaluationResult.objects.select_related("enterprise")
    serializer_class = serializers.EvaluationResultSerializer
    filterset_class = EvaluationResultFilterSet

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The list's filters (``run`` required) do not apply to reading one result by its id.
        return queryset if self.detail else super().filter_queryset(queryset)

    @extend_schema(
        summary="企业评价结果卡",
        description="各指标的值、基准与得分,适用的差别化政策,达到上一等级的路径,以及加扣分。",
        responses={200: serializers.ResultCardSerializer},
    )
    @action(detail=True, methods=["get"], queryset=EvaluationResult.objects.select_related("run"))
    def card(self, request: Request, pk: str | None = None) -> Response:
        result = self.get_object()
        entries = PointsEntry.objects.restrict(request.user).filter(
            enterprise_id=result.enterprise_id, year=result.run.year
        )
        card = {"card": result_card(result), "points": points_note(result, entries)}
        return Response(serializers.ResultCardSerializer(card).data)
