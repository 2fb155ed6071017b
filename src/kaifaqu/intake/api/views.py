from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from kaifaqu.api import error_codes
from kaifaqu.api.viewsets import ScopedReadViewSet
from kaifaqu.core.downloads import XLSX
from kaifaqu.core.uploads import upload_refusal
from kaifaqu.intake.actions import UndoRefused, request_commit, request_undo, upload_batch
from kaifaqu.intake.api import serializers
from kaifaqu.intake.api.filtersets import ImportBatchFilterSet
from kaifaqu.intake.models import ImportBatch
from kaifaqu.intake.report import PROBLEMS_PER_PAGE, problem_download
from kaifaqu.jobs.api.serializers import JobSerializer
from kaifaqu.jobs.models import Job


class UploadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = error_codes.TOO_LARGE


class ImportBatchViewSet(ScopedReadViewSet):
    """您上传的导入批次:上传文件后在后台校验,校验结果(预览)给出统计与问题;
    通过校验后可导入,导入后可撤销。导入与撤销在后台进行,返回的任务可在 /api/v1/jobs/{id}/ 跟进。"""

    queryset = ImportBatch.objects.all()
    serializer_class = serializers.ImportBatchSerializer
    filterset_class = ImportBatchFilterSet

    @extend_schema(
        summary="上传导入文件",
        description=(
            "以 multipart/form-data 上传文件(上限见 KAIFAQU_UPLOAD_MAX_MB,超过时返回 413)。"
            "文件保存为导入批次,并在后台校验;校验完成后批次状态变为已校验或已拒绝,"
            "预览见 preview/。"
        ),
        request={"multipart/form-data": serializers.ImportUploadSerializer},
        responses={
            201: serializers.ImportBatchSerializer,
            413: OpenApiResponse(
                OpenApiTypes.OBJECT, description="文件超过上限,未上传(too_large;统一错误格式)"
            ),
        },
    )
    def create(self, request: Request) -> Response:
        serializer = serializers.ImportUploadSerializer(data=request.data)
        refusal = upload_refusal(request._request)
        if refusal is not None:
            raise UploadTooLarge(refusal)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        batch = upload_batch(
            data["file"].read(),
            data["file"].name,
            data["kind"],
            acting_user=request.user,
            policy=data["policy"],
            money_unit=data["money_unit"],
        )
        return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)

    def initialize_request(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Request:
        # An upload is a file; every other operation takes JSON, as everywhere in this API.
        initialized = super().initialize_request(request, *args, **kwargs)
        if self.action == "create":
            initialized.parsers = [MultiPartParser()]
        return initialized

    @extend_schema(
        summary="预览",
        description=(
            "校验结果:导入将新增、更新、不变的行数等统计,以及一页问题(每页 100 条);"
            "全部问题及标出问题单元格的数据见 problems/(xlsx)。"
        ),
        parameters=[serializers.PreviewQuerySerializer],
        responses={200: serializers.ImportPreviewSerializer},
    )
    @action(detail=True, methods=["get"])
    def preview(self, request: Request, pk: str | None = None) -> Response:
        batch = self.get_object()
        query = serializers.PreviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pages = Paginator(batch.problems, PROBLEMS_PER_PAGE)
        page = pages.get_page(query.validated_data["page"])
        preview = {
            "state": batch.state,
            "counts": batch.counts,
            "problem_count": pages.count,
            "page": page.number,
            "pages": pages.num_pages,
            "problems": page.object_list,
        }
        return Response(serializers.ImportPreviewSerializer(preview).data)

    @extend_schema(
        summary="下载问题清单(xlsx)",
        description="全部问题,以及标出问题单元格的数据。",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="问题清单")},
    )
    @action(detail=True, methods=["get"], url_path="problems")
    def problems(self, request: Request, pk: str | None = None) -> HttpResponse:
        return problem_download(self.get_object())

    @extend_schema(
        summary="导入",
        description=(
            "按所选策略导入已通过校验的批次,在后台进行;返回的任务可在 /api/v1/jobs/{id}/ "
            "跟进。未通过校验或已导入的批次返回 400。"
        ),
        request=serializers.ImportCommitSerializer,
        responses={202: JobSerializer},
    )
    @action(detail=True, methods=["post"])
    def commit(self, request: Request, pk: str | None = None) -> Response:
        batch = self.get_object()
        serializer = serializers.ImportCommitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = request_commit(
            batch, policy=serializer.validated_data["policy"], acting_user=request.user
        )
        return self._accepted(job)

    @extend_schema(
        summary="撤销导入",
        description=(
            "在后台撤销已导入的批次所做的全部修改;此后又被修改过的对象使撤销失败,"
            "原因见任务的 error。返回的任务可在 /api/v1/jobs/{id}/ 跟进。未导入的批次返回 400。"
        ),
        request=None,
        responses={202: JobSerializer},
    )
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str | None = None) -> Response:
        try:
            job = request_undo(self.get_object(), acting_user=request.user)
        except UndoRefused as refusal:
            raise ValidationError(str(refusal)) from refusal
        return self._accepted(job)

    def _accepted(self, job: Job) -> Response:
        data = JobSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED)
