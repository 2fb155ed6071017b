from typing import ClassVar

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaifaqu.jobs.models import Job


class JobProgressSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A job as the object it computes shows it: how far it is and how it ended."""

    percent = serializers.IntegerField(allow_null=True, help_text="完成百分比;总量未知时为 null")

    class Meta:
        model = Job
        fields = ["id", "state", "done", "total", "percent", "message", "error", "finished"]
        read_only_fields = fields


class JobSerializer(JobProgressSerializer):
    """A job of the caller's: what it computes, how far it is, its result and its file."""

    withheld: ClassVar[dict[str, str]] = {
        "key": "the worker's deduplication key",
        "params": "what the starting page asked for, in its own terms",
        "user": "users are not a resource of this API (a job is the caller's own)",
        "request_id": "the change log's key, for the audit pages",
        "result_file": "served as the ``file`` link, through the jobs page's download",
        "heartbeat": "the worker's liveness record",
    }

    # The API field is named ``label``, as on the jobs page; DRF fields also carry a label.
    label = serializers.CharField(help_text="任务类型名称")  # type: ignore[assignment]
    result = serializers.JSONField(allow_null=True, help_text="结果摘要;任务完成前为 null")
    file = serializers.SerializerMethodField(help_text="结果文件的下载地址;无文件时为 null")

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "label",
            "state",
            "done",
            "total",
            "percent",
            "message",
            "result",
            "error",
            "file",
            "created",
            "started",
            "finished",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file(self, job: Job) -> str | None:
        if not job.result_file:
            return None
        url = reverse("jobs:file", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
