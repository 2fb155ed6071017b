from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
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
from kaifaqu.assessment.exports import (
    ranking_download,
    ranking_results,
    report_file,
    units_download,
)
from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun, Report, ZoneResult
from kaifaqu.assessment.profile import build_profile
from kaifaqu.core.downloads import CSV, XLSX
from kaifaqu.jobs.api.serializers import JobSerializer

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_schema(media_type: str, description: str) -> dict[Any, Any]:
    """The 200 response of a download: the file itself, of ``media_type``."""
    return {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)}


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

    @extend_schema(
        summary="下载排名(xlsx)",
        description="本次运行的排名表:您能看到的各行,含名次区间、维度得分与中位数。",
        responses=file_schema(XLSX, "排名表"),
    )
    @action(detail=True, methods=["get"], url_path="ranking-xlsx")
    def ranking_xlsx(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        run = self.get_object()
        return ranking_download(run, ranking_results(request.user, run))

    @extend_schema(
        summary="下载参评单元数据(CSV)",
        description=(
            "本次运行中您数据范围内开发区的指标数据,按计算引擎的格式;"
            "与方案的流水线文件一起可离线复算。"
        ),
        responses=file_schema(CSV.split(";")[0], "参评单元数据"),
    )
    @action(detail=True, methods=["get"], url_path="units-csv")
    def units_csv(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        return units_download(self.get_object(), request.user)


# The operations on one zone's own result (its profile and report): within the caller's scope.
OWN_ROW_ACTIONS = {"profile", "report", "report_pdf", "report_docx"}


class RankingViewSet(ScopedReadViewSet):
    """考核排名:一次运行中各开发区的公布名次、名次区间(P5–P95)、综合得分与维度得分、进位。
    包括您数据范围内的开发区,以及排名已向您通报的运行中的全部开发区。"""

    queryset = ZoneResult.objects.select_related("zone", "run")
    serializer_class = serializers.RankingRowSerializer
    filterset_class = RankingFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        rows: QuerySet[Any] = self.queryset.ranking(self.request.user)
        if self.action in OWN_ROW_ACTIONS:  # a row only published to the caller has no profile
            rows = rows.filter(own=True)
        return rows

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # The list's filters (``run`` required) do not apply to reading one row by its id.
        return queryset if self.detail else super().filter_queryset(queryset)

    @extend_schema(
        summary="开发区数字画像",
        description=(
            "该开发区在本次运行中的维度得分与名次、历年名次、优势与短板指标、"
            "提升名次最有效的指标、目标进度及亩均等级分布。仅限您数据范围内的开发区。"
        ),
        responses={200: serializers.ProfileSerializer},
    )
    @action(
        detail=True,
        methods=["get"],
        queryset=ZoneResult.objects.select_related("zone__region", "run__version__framework"),
    )
    def profile(self, request: Request, pk: str | None = None) -> Response:
        profile = build_profile(self.get_object(), request.user)
        return Response(serializers.ProfileSerializer(profile).data)

    @extend_schema(
        summary="生成诊断报告",
        description=(
            "在后台生成该开发区本次运行的诊断报告(PDF 与 DOCX)。返回计算任务,"
            "可在 /api/v1/jobs/{id}/ 跟进;完成后从 report/pdf/、report/docx/ 下载。"
        ),
        request=None,
        responses={202: JobSerializer},
    )
    @action(
        detail=True, methods=["post"], queryset=ZoneResult.objects.select_related("zone", "run")
    )
    def report(self, request: Request, pk: str | None = None) -> Response:
        result = self.get_object()
        job = actions.request_report(result.run, result.zone, acting_user=request.user)
        data = JobSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="下载诊断报告(PDF)",
        description="最近一次生成的诊断报告;尚未生成时返回 404,请先生成。",
        responses=file_schema(PDF, "诊断报告"),
    )
    @action(detail=True, methods=["get"], url_path="report/pdf")
    def report_pdf(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        return report_file(self._report(), "pdf")

    @extend_schema(
        summary="下载诊断报告(DOCX)",
        description="最近一次生成的诊断报告;尚未生成时返回 404,请先生成。",
        responses=file_schema(DOCX, "诊断报告"),
    )
    @action(detail=True, methods=["get"], url_path="report/docx")
    def report_docx(self, request: Request, pk: str | None = None) -> HttpResponseBase:
        return report_file(self._report(), "docx")

    def _report(self) -> Report:
        result = self.get_object()
        reports = Report.objects.restrict(self.request.user)
        report: Report | None = reports.filter(run_id=result.run_id, zone_id=result.zone_id).first()
        if report is None:
            raise NotFound("该开发区的诊断报告尚未生成")
        return report
