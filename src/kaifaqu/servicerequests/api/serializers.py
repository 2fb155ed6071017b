from typing import Any, ClassVar

from rest_framework import serializers

from kaifaqu.enterprises.models import Enterprise
from kaifaqu.servicerequests.choices import Category, Rating, Stage
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.servicerequests.statistics import GROUP_CHOICES
from kaifaqu.zones.models import Zone


class ServiceRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A service request as its outcome is read back (written only through its actions)."""

    withheld: ClassVar[dict[str, str]] = {"filed_by": "users are not a resource of this API"}

    number = serializers.CharField(source="item.number", read_only=True, help_text="督办编号")
    stage = serializers.ChoiceField(
        choices=Stage.choices, read_only=True, help_text="待派单、待签收、办理中、待回访或已办结"
    )
    lead_unit = serializers.IntegerField(
        source="item.lead_unit_id", read_only=True, allow_null=True, help_text="牵头单位编号"
    )
    rating = serializers.ChoiceField(
        choices=Rating.choices, allow_blank=True, read_only=True, help_text="未评价时为空"
    )
    deadline = serializers.DateField(source="item.deadline", read_only=True, allow_null=True)
    closed = serializers.DateField(
        source="item.closed", read_only=True, allow_null=True, help_text="答复(办结)日期"
    )

    class Meta:
        model = ServiceRequest
        fields = [
            "id", "number", "item", "province_code", "enterprise", "zone", "category",
            "complexity", "description", "channel", "caller_name", "caller_phone", "source",
            "external_ref", "filed", "stage", "lead_unit", "deadline", "closed", "reply",
            "replied", "rating", "rated", "rating_note", "reopened", "auto_closed",
        ]  # fmt: skip
        read_only_fields = fields


class ServiceRequestCallSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A request pushed by a hotline system (e.g. 12345) for a caller: idempotent on
    (``source``, ``external_ref``)."""

    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField()
    caller_name = serializers.CharField(max_length=40)
    caller_phone = serializers.CharField(max_length=20)
    enterprise = serializers.CharField(
        required=False, allow_blank=True, help_text="企业统一社会信用代码(可空)"
    )
    zone = serializers.PrimaryKeyRelatedField(
        queryset=Zone.objects.none(), required=False, allow_null=True, help_text="开发区编号"
    )
    source = serializers.CharField(max_length=40, help_text="来源系统,如 12345")  # type: ignore[assignment]
    external_ref = serializers.CharField(max_length=64, help_text="来源系统中的工单编号")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = self.context["request"].user
        fields["zone"].queryset = Zone.objects.restrict(user)  # type: ignore[attr-defined]
        return fields

    def validate_enterprise(self, value: str) -> Enterprise | None:
        if not value.strip():
            return None
        user = self.context["request"].user
        found: Enterprise | None = (
            Enterprise.objects.restrict(user).filter(uscc=value.strip().upper()).first()
        )
        if found is None:
            raise serializers.ValidationError("您的数据范围内没有该统一社会信用代码的企业")
        return found

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("enterprise") and not attrs.get("zone"):
            raise serializers.ValidationError("请给出企业统一社会信用代码或开发区")
        return attrs


class StatisticsQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField(help_text="统计期起始日")
    end = serializers.DateField(help_text="统计期截止日")
    group = serializers.ChoiceField(choices=GROUP_CHOICES, default="zone")


class StatisticsRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(allow_null=True, help_text="开发区或单位编号、诉求类别;合计为空")
    label = serializers.CharField()  # type: ignore[assignment]
    received = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_on_time = serializers.IntegerField()
    overdue = serializers.IntegerField()
    cleared = serializers.IntegerField()
    rated = serializers.IntegerField()
    satisfied = serializers.IntegerField()
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按期办结率")
    clearing_rate = serializers.FloatField(allow_null=True, help_text="清零率")
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意率")
    median_working_days = serializers.FloatField(allow_null=True)
