"""What the assessment endpoints show and what starting a run accepts."""

from typing import Any, ClassVar

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kaifaqu.assessment.choices import RankingLevel
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    FrameworkVersion,
    ZoneResult,
)
from kaifaqu.assessment.profile import GradeMix
from kaifaqu.jobs.api.serializers import JobProgressSerializer
from kaifaqu.zones.choices import ZoneKind

ALL_KINDS = "all"
RUN_ZONE_KINDS = [*ZoneKind.choices, (ALL_KINDS, "全部类型")]
# A stored run's zone kind: empty when it ranked every kind.
STORED_ZONE_KINDS = [*ZoneKind.choices, ("", "全部类型")]


class FrameworkVersionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = FrameworkVersion
        fields = ["id", "number", "note", "created", "document"]
        read_only_fields = fields


class AssessmentFrameworkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    versions = FrameworkVersionSerializer(many=True, read_only=True, help_text="各版本,新版在前")

    class Meta:
        model = AssessmentFramework
        fields = ["id", "code", "name", "owner", "based_on", "created", "versions"]
        read_only_fields = fields


class AssessmentRunSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    withheld: ClassVar[dict[str, str]] = {
        "log": "the engine's working record, for the bureau's pages",
        "created_by": "users are not a resource of this API",
    }
    framework = serializers.IntegerField(source="version.framework_id", help_text="考核评价方案 ID")
    zone_kind = serializers.ChoiceField(
        choices=STORED_ZONE_KINDS, read_only=True, help_text="参评开发区类型;空为全部类型"
    )
    job = JobProgressSerializer(
        read_only=True, allow_null=True, help_text="计算任务及其进度;轮询本运行可跟进"
    )

    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "framework",
            "version",
            "year",
            "province_code",
            "zone_kind",
            "state",
            "level",
            "ranked_by",
            "replications",
            "engine_version",
            "input_hash",
            "warnings",
            "error",
            "publication",
            "created",
            "finished",
            "job",
        ]
        read_only_fields = fields


class RankingRowSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A row of a run's ranking: what its ranking publication shows, for every row the caller
    sees (its own zones', and every row of a ranking published to it)."""

    withheld: ClassVar[dict[str, str]] = {
        name: "a zone's own detail, shown in its profile, not in a ranking"
        for name in (
            "province_code",
            "rank",
            "group_rank",
            "rank_p05",
            "rank_p95",
            "rank_median",
            "rank_mean",
            "score_median",
            "score_p05",
            "score_p95",
            "group_p05",
            "group_p95",
            "previous_rank",
            "dimension_ranks",
            "indicators",
            "deductions",
        )
    }
    zone_name = serializers.CharField(source="zone.name", help_text="开发区名称")
    interval_low = serializers.FloatField(
        allow_null=True, help_text="公布名次的区间下限(P5;按组排名时为组内)"
    )
    interval_high = serializers.FloatField(
        allow_null=True, help_text="公布名次的区间上限(P95;按组排名时为组内)"
    )
    own = serializers.BooleanField(help_text="是否您数据范围内的开发区(可查看其画像)")

    class Meta:
        model = ZoneResult
        fields = [
            "id",
            "run",
            "zone",
            "zone_name",
            "group",
            "published_rank",
            "interval_low",
            "interval_high",
            "total",
            "dimensions",
            "progress",
            "disqualified",
            "own",
        ]
        read_only_fields = fields

    def to_representation(self, instance: ZoneResult) -> dict[str, Any]:
        instance.interval_low, instance.interval_high = instance.published_interval  # type: ignore[attr-defined]
        data: dict[str, Any] = super().to_representation(instance)
        return data


class AssessmentRunStartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    framework = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentFramework.objects.all(),
        help_text="考核评价方案 ID(须在您的数据范围内);按其最新版本计算",
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="考核年度")
    province_code = serializers.RegexField(
        r"^\d{6}$",
        required=False,
        default="",
        help_text="只考核该省(6 位区划代码)的开发区;留空为您数据范围内的全部开发区",
    )
    zone_kind = serializers.ChoiceField(
        choices=RUN_ZONE_KINDS,
        required=False,
        allow_null=True,
        default=None,
        help_text="参评开发区类型;留空按方案规定,all 为全部类型",
    )

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        user = self.context["request"].user
        restricted = AssessmentFramework.objects.restrict(user, "view")
        fields["framework"].queryset = restricted  # type: ignore[attr-defined]
        return fields


class ProfileDimensionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text="维度代码")
    # DRF fields carry a ``label`` too; the profile's rows are named as on the page.
    label = serializers.CharField(help_text="维度名称")  # type: ignore[assignment]
    weight = serializers.FloatField(help_text="权重")
    score = serializers.FloatField(allow_null=True, help_text="维度得分")
    rank = serializers.IntegerField(allow_null=True, help_text="维度排名")
    group_mean = serializers.FloatField(allow_null=True, help_text="比较组平均得分")


class ProfileYearSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(help_text="年度")
    rank = serializers.IntegerField(allow_null=True, help_text="公布名次")
    low = serializers.FloatField(allow_null=True, help_text="名次区间下限(P5)")
    high = serializers.FloatField(allow_null=True, help_text="名次区间上限(P95)")
    total = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, help_text="综合得分"
    )
    progress = serializers.IntegerField(allow_null=True, help_text="进位(正数为进位)")


class ProfileIndicatorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text="指标代码")
    label = serializers.CharField(help_text="指标名称")  # type: ignore[assignment]
    unit = serializers.CharField(help_text="单位")
    value = serializers.FloatField(allow_null=True, help_text="指标值")
    at_best = serializers.BooleanField(help_text="是否已达该指标可取的最优值")
    score = serializers.FloatField(help_text="标准化得分")
    group_mean = serializers.FloatField(help_text="比较组平均标准化得分")
    gap = serializers.FloatField(help_text="与组内平均的差距")


class ProfileLeverSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField(help_text="指标名称")  # type: ignore[assignment]
    gain = serializers.FloatField(help_text="提高到最优水平可增加的综合得分")
    rank = serializers.IntegerField(help_text="当前总排名")
    new_rank = serializers.IntegerField(help_text="可升至的总排名")


class ProfileTargetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    indicator = serializers.CharField(source="indicator.name", help_text="指标名称")
    year = serializers.IntegerField(source="target.year", help_text="目标年度")
    value = serializers.DecimalField(
        source="target.value", max_digits=20, decimal_places=6, help_text="目标值"
    )
    latest_year = serializers.IntegerField(allow_null=True, help_text="最近实际值的年度")
    latest = serializers.FloatField(allow_null=True, help_text="最近实际值")
    gap = serializers.FloatField(allow_null=True, help_text="距目标的差距")
    share = serializers.IntegerField(allow_null=True, help_text="按直线趋势预计完成的百分比")


class ProfileRankTargetSerializer(serializers.Serializer):  # type: ignore[type-arg]
    level = serializers.ChoiceField(
        source="target.level", choices=RankingLevel.choices, help_text="排名层级"
    )
    year = serializers.IntegerField(source="target.year", help_text="目标年度")
    rank = serializers.IntegerField(source="target.rank", help_text="目标名次")
    latest_year = serializers.IntegerField(allow_null=True, help_text="最近名次的年度")
    latest = serializers.IntegerField(allow_null=True, help_text="最近公布名次")
    gap = serializers.IntegerField(allow_null=True, help_text="距目标还需上升的名次")
    projected = serializers.IntegerField(allow_null=True, help_text="按直线趋势预计的名次")
    reaches = serializers.BooleanField(allow_null=True, help_text="预计能否达到目标")


class GradeCountSerializer(serializers.Serializer):  # type: ignore[type-arg]
    grade = serializers.CharField(help_text="等级")
    count = serializers.IntegerField(help_text="企业数")


class GradeMixSerializer(serializers.Serializer):  # type: ignore[type-arg]
    run = serializers.IntegerField(source="run.pk", help_text="亩均评价批次 ID")
    counts = serializers.SerializerMethodField(help_text="按管理等级的企业数")

    @extend_schema_field(GradeCountSerializer(many=True))
    def get_counts(self, mix: GradeMix) -> list[dict[str, Any]]:
        return [{"grade": grade, "count": count} for grade, count in mix.counts]


class ProfileSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A zone's digital profile in a run, as its profile page shows it."""

    result = RankingRowSerializer(help_text="该开发区在本次排名中的一行")
    rank = serializers.IntegerField(source="result.rank", allow_null=True, help_text="总排名")
    group_rank = serializers.IntegerField(
        source="result.group_rank", allow_null=True, help_text="组内排名"
    )
    group_size = serializers.IntegerField(help_text="比较组参评开发区数")
    dimensions = ProfileDimensionSerializer(many=True, help_text="维度得分与名次")
    history = ProfileYearSerializer(many=True, help_text="历年名次")
    strengths = ProfileIndicatorSerializer(many=True, help_text="优势指标")
    weaknesses = ProfileIndicatorSerializer(many=True, help_text="短板指标")
    levers = ProfileLeverSerializer(many=True, help_text="提升名次最有效的指标")
    levers_note = serializers.CharField(help_text="无可提升指标时的说明")
    targets = ProfileTargetSerializer(many=True, help_text="指标目标及进度")
    rank_targets = ProfileRankTargetSerializer(many=True, help_text="名次目标及进度")
    grade_mix = GradeMixSerializer(allow_null=True, help_text="最近一次公布的亩均评价的等级分布")
