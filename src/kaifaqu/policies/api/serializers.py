from typing import ClassVar

from rest_framework import serializers

from kaifaqu.policies.models import PolicyDocument, PolicyTask, ProgressReport


class PolicyDocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A policy document as uploaded (written only through the upload on the pages)."""

    withheld: ClassVar[dict[str, str]] = {"created_by": "users are not a resource of this API"}

    class Meta:
        model = PolicyDocument
        fields = [
            "id", "title", "doc_number", "issuer", "issued", "region", "zone", "province_code",
            "file_name", "created", "text",
        ]  # fmt: skip
        read_only_fields = fields


class PolicyTaskSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A confirmed task of one lead unit and its supervised item."""

    number = serializers.CharField(source="item.number", read_only=True, help_text="督办编号")
    heading = serializers.CharField(source="proposal.heading", read_only=True, help_text="措施")
    deadline = serializers.DateField(
        source="item.deadline", read_only=True, allow_null=True, help_text="完成时限"
    )
    state = serializers.CharField(source="item.state", read_only=True, help_text="办理状态")

    class Meta:
        model = PolicyTask
        fields = [
            "id", "document", "proposal", "item", "number", "heading", "lead_unit", "recurrence",
            "deadline",
            "state", "province_code",
        ]  # fmt: skip
        read_only_fields = fields


class ProgressReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """进展填报 of a task: one per period of a recurring task, or at any time."""

    withheld: ClassVar[dict[str, str]] = {"submitted_by": "users are not a resource of this API"}

    class Meta:
        model = ProgressReport
        fields = [
            "id", "task", "period", "due", "text", "figure", "unit", "submitted",
            "escalation_days", "province_code",
        ]  # fmt: skip
        read_only_fields = fields


class ProgressReportCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A unit's report: on the open period named by ``report``, or a new one without it."""

    task = serializers.IntegerField(help_text="政策任务编号")
    report = serializers.IntegerField(
        required=False, allow_null=True, help_text="报送期次(进展填报编号);不填则新增一次随时报送"
    )
    text = serializers.CharField(help_text="进展情况")
    figure = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, allow_null=True, help_text="完成数值"
    )
