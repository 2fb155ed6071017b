"""What an import batch shows through the API: its outcome, with its problems summed up."""

from collections import Counter
from typing import Any, ClassVar

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaifaqu.intake.choices import BatchState, ImportKind, ImportPolicy
from kaifaqu.intake.models import ImportBatch
from kaifaqu.intake.report import SEVERITY_LABELS
from kaifaqu.spreadsheets.columns import MONEY_UNITS

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
            "description": "问题清单(xlsx)的下载地址(本接口的 problems/);无问题时为 null",
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
            url = reverse("api:importbatch-problems", args=[batch.pk])
            request = self.context.get("request")
            report = request.build_absolute_uri(url) if request is not None else url
        return {
            "errors": severities["error"],
            "warnings": severities["warning"],
            "by_code": dict(Counter(problem["code"] for problem in batch.problems)),
            "report": report,
        }


class ImportUploadSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """An upload (multipart/form-data): the file and how to read and import it."""

    kind = serializers.ChoiceField(choices=ImportKind.choices, help_text="导入类型")
    file = serializers.FileField(help_text="文件:xlsx、xls、ods、csv 或 Excel「Unicode 文本」")
    policy = serializers.ChoiceField(
        choices=ImportPolicy.choices,
        default=ImportPolicy.REJECT,
        help_text="导入策略;可在导入时更改",
    )
    money_unit = serializers.ChoiceField(
        choices=[(unit, unit) for unit in MONEY_UNITS],
        default="万元",
        help_text="表头未注明单位的金额列按此单位换算",
    )


class ImportCommitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    policy = serializers.ChoiceField(choices=ImportPolicy.choices, help_text="导入策略")


class ProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One problem found in the file, where it is and how to fix it."""

    sheet = serializers.CharField(help_text="工作表")
    row = serializers.IntegerField(allow_null=True, help_text="行号;表头问题为 null")
    column = serializers.CharField(help_text="列")
    value = serializers.CharField(allow_null=True, help_text="原值")
    severity = serializers.ChoiceField(choices=list(SEVERITY_LABELS.items()), help_text="级别")
    code = serializers.CharField(help_text="问题代码")
    message = serializers.CharField(help_text="问题")
    fix = serializers.CharField(help_text="修改建议")


class PreviewQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    page = serializers.IntegerField(min_value=1, default=1, help_text="问题清单的页码")


class ImportPreviewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What importing the batch would do (its counts) and a page of its problems."""

    state = serializers.ChoiceField(choices=BatchState.choices, help_text="状态")
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="统计:行数、有效行、无效行、错误、警告;校验后另有新增(insert)、更新(update)等",
    )
    problem_count = serializers.IntegerField(help_text="问题总数")
    page = serializers.IntegerField(help_text="本页页码")
    pages = serializers.IntegerField(help_text="问题清单的总页数")
    problems = ProblemSerializer(many=True, help_text="本页的问题(每页 100 条)")
