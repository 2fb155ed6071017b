"""What the assessment endpoints show and what starting a run accepts."""

from typing import Any, ClassVar

from rest_framework import serializers

from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    FrameworkVersion,
    ZoneResult,
)
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
