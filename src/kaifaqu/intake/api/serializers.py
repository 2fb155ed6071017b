"""What an import batch shows through the API: its outcome, with its problems summed up."""

from collections import Counter
from typing import Any, ClassVar

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaifaqu.intake.models import ImportBatch

PROBLEMS_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {"type": "integer", "description": "错误数"},
        "warnings": {"type": "integer", "description": "警告数"},
        "by_code": {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "各问题代码的出现次数",
        },
        "report": {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "问题清单(xlsx)的下载地址;无问题时为 null",
        },
    },
    "required": ["errors", "warnings", "by_code", "report"],
}


class ImportBatchSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    withheld: ClassVar[dict[str, str]] = {
        "file": "the uploaded file stays with the import pages",
        "user": "users are not a resource of this API",
        "request_id": "the change log's key, for the audit pages",
    }
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="统计:行数、有效行、无效行、错误、警告,校验后另有新增、更新等",
    )
    problems = serializers.SerializerMethodField(help_text="问题汇总;逐条问题见问题清单下载")

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "file_name",
            "sha256",
            "policy",
            "money_unit",
            "state",
            "counts",
            "problems",
            "created",
            "committed",
            "undone",
        ]
        read_only_fields = fields

    @extend_schema_field(PROBLEMS_SCHEMA)
    def get_problems(self, batch: ImportBatch) -> dict[str, Any]:
        severities = Counter(problem["severity"] for problem in batch.problems)
        report = None
        if batch.problems:
            url = reverse("intake:report", args=[batch.pk])
            request = self.context.get("request")
            report = request.build_absolute_uri(url) if request is not None else url
        return {
            "errors": severities["error"],
            "warnings": severities["warning"],
            "by_code": dict(Counter(problem["code"] for problem in batch.problems)),
            "report": report,
        }
