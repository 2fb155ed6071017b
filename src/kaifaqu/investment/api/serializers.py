from typing import ClassVar

from rest_framework import serializers

from kaifaqu.investment.models import FundArrival, Project, StageChange, Visit


class ProjectSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A 招商 project as read back (its stage moves only through the pipeline's actions)."""

    withheld: ClassVar[dict[str, str]] = {
        "person_in_charge": "users are not a resource of this API",
        "created_by": "users are not a resource of this API",
    }

    investment_intensity = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="投资强度(万元/亩):固定资产投资 ÷ 用地面积",
    )

    class Meta:
        model = Project
        fields = [
            "id", "code", "name", "investor", "client", "zone", "province_code",
            "leading_industry", "industry", "total_investment", "fixed_asset_investment",
            "land_mu", "investment_intensity", "foreign_capital", "lead_unit",
            "planned_sign_date", "planned_start_date", "planned_production_date",
            "planned_full_production_date", "statistics_date", "package", "ppp", "stage",
            "stage_entered", "enterprise", "plot", "created",
        ]  # fmt: skip
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One entry of a project's append-only stage history (an undo is an entry of its own)."""

    withheld: ClassVar[dict[str, str]] = {
        "recorded_by": "users are not a resource of this API",
        "request_id": "the request that wrote it: the change log's key, not business data",
    }

    class Meta:
        model = StageChange
        fields = [
            "id", "project", "province_code", "kind", "from_stage", "to_stage", "occurred_on",
            "recorded_at", "evidence", "amount_before", "amount_after", "reverses",
        ]  # fmt: skip
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    withheld: ClassVar[dict[str, str]] = {"created_by": "users are not a resource of this API"}

    class Meta:
        model = Visit
        fields = [
            "id", "zone", "province_code", "project", "client", "visited_on", "visitors", "met",
            "summary", "next_action", "remind_on", "reminded_on",
        ]  # fmt: skip
        read_only_fields = fields


class FundArrivalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    withheld: ClassVar[dict[str, str]] = {"recorded_by": "users are not a resource of this API"}

    class Meta:
        model = FundArrival
        fields = ["id", "project", "province_code", "arrived_on", "amount", "note"]
        read_only_fields = fields
