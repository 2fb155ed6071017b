"""What the 亩均 endpoints show and what their writes accept.

The model serializers are read-only: a scheme is copied or versioned and a run started through
``mujun.actions``, each with its own small request serializer below.
"""

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaifaqu.jobs.api.serializers import JobProgressSerializer
from kaifaqu.mujun.card import Card
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, PointsEntry, Scheme
from kaifaqu.mujun.scheme import list_presets
from kaifaqu.zones.models import Zone


class SchemeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Scheme
        fields = [
            "id",
            "name",
            "preset",
            "version",
            "previous",
            "region",
            "zone",
            "province_code",
            "created",
            "document",
        ]
        read_only_fields = fields


class SchemeCopySerializer(serializers.Serializer):  # type: ignore[type-arg]
    preset = serializers.ChoiceField(choices=[], help_text="复制的预置方案")
    name = serializers.CharField(
        max_length=120, required=False, default="", help_text="方案名称;留空则沿用预置方案的名称"
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        fields["preset"].choices = list_presets()  # type: ignore[attr-defined]
        return fields


class SchemeVersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    document = serializers.CharField(
        help_text="修改后的方案内容(TOML);保存为新版本,原版本保持不变", trim_whitespace=False
    )


class EvaluationRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    # A zone office reads its province's runs: nothing of the whole jurisdiction beyond what a
    # card shows (benchmarks) goes out with them.
    withheld: ClassVar[dict[str, str]] = {
        "counts": "the jurisdiction's tallies: a zone office sees its own zones' figures only",
        "corrections": "corrected figures of enterprises anywhere in the jurisdiction",
        "timings": "the job's own bookkeeping",
        "created_by": "users are not a resource of this API",
    }
    job = JobProgressSerializer(
        read_only=True, allow_null=True, help_text="计算任务及其进度;轮询本批次可跟进"
    )

    class Meta:
        model = EvaluationRun
        fields = [
            "id",
            "scheme",
            "year",
            "region",
            "zone",
            "province_code",
            "state",
            "revision",
            "supersedes",
            "publicity_start",
            "publicity_end",
            "published",
            "publicity",
            "final_list",
            "scheme_document",
            "scheme_digest",
            "engine_version",
            "input_hash",
            "benchmarks",
            "created",
            "job",
        ]
        read_only_fields = fields


class EvaluationRunStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scheme = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.all(), help_text="评价方案 ID(须在您的数据范围内)"
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="评价年度")
    zone = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="评价的开发区 ID;留空则评价您所在区划的全部开发区",
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        # A scheme the caller may read, a zone it may change: others "do not exist".
        fields = super().get_fields()
        user = self.context["request"].user
        fields["scheme"].queryset = Scheme.objects.restrict(user, "view")  # type: ignore[attr-defined]
        fields["zone"].queryset = Zone.objects.restrict(user, "change")  # type: ignore[attr-defined]
        return fields


class EvaluationResultSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    uscc = serializers.CharField(source="enterprise.uscc", help_text="统一社会信用代码")
    enterprise_name = serializers.CharField(source="enterprise.name", help_text="企业名称")
    shown_grade = serializers.CharField(help_text="名单所示等级:等级,或不定等级企业的管理等级")
    values = serializers.JSONField(help_text="参评指标值,按指标代码")
    items = serializers.JSONField(help_text="单项得分,按指标代码")
    warnings = serializers.JSONField(help_text="数据提示")
    explanation = serializers.JSONField(help_text="说明与提升路径")

    class Meta:
        model = EvaluationResult
        fields = [
            "id",
            "run",
            "enterprise",
            "uscc",
            "enterprise_name",
            "zone",
            "province_code",
            "industry_code",
            "pool",
            "status",
            "reason",
            "values",
            "items",
            "total",
            "pool_rank",
            "grade",
            "managed_grade",
            "shown_grade",
            "years_in_grade",
            "warnings",
            "explanation",
        ]
        read_only_fields = fields


class IndicatorRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(help_text="指标名称")
    unit = serializers.CharField(help_text="单位")
    value = serializers.FloatField(allow_null=True, help_text="企业的指标值")
    benchmark = serializers.FloatField(allow_null=True, help_text="评价池的基准值")
    weight = serializers.FloatField(help_text="权重(分)")
    item = serializers.FloatField(allow_null=True, help_text="单项得分")
    max_item = serializers.FloatField(allow_null=True, help_text="单项得分上限;无上限时为 null")


class PolicySerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(help_text="差别化政策")
    applies = serializers.CharField(help_text="对该企业适用的措施")


class PointsEntrySummarySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = PointsEntry
        fields = ["id", "kind", "points", "item", "evidence"]
        read_only_fields = fields


class PointsNoteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entries = PointsEntrySummarySerializer(many=True, help_text="本年度录入的加扣分")
    counted = serializers.DictField(
        child=serializers.FloatField(), help_text="本批次计算时计入的加分、扣分合计"
    )
    changed = serializers.BooleanField(help_text="计算后加扣分有增删,重新计算后才生效")


class ResultCardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The card of ``mujun.card``: ``result_card`` with the ``points_note`` beside it."""

    result = serializers.IntegerField(source="card.result.pk", help_text="评价结果 ID")
    scheme_name = serializers.CharField(source="card.scheme.name", help_text="所用方案")
    grade_label = serializers.CharField(source="card.grade_label", help_text="等级说明")
    rows = IndicatorRowSerializer(source="card.rows", many=True, help_text="各指标的值与得分")
    policies = serializers.SerializerMethodField(help_text="适用的差别化政策")
    improvement = serializers.ListField(
        source="card.improvement", child=serializers.CharField(), help_text="达到上一等级的路径"
    )
    points = PointsNoteSerializer(help_text="加扣分")

    @extend_schema_field(PolicySerializer(many=True))
    def get_policies(self, instance: dict[str, Any]) -> list[dict[str, str]]:
        card: Card = instance["card"]
        return [{"name": name, "applies": applies} for name, applies in card.policies]
