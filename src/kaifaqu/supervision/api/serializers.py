from typing import ClassVar

from rest_framework import serializers

from kaifaqu.supervision.models import ItemKind, LogEntry, SupervisedItem


class SupervisedItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A supervised item as its outcome is read back (written only through its actions)."""

    withheld: ClassVar[dict[str, str]] = {"created_by": "users are not a resource of this API"}

    kind: serializers.SlugRelatedField[ItemKind] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="编号前缀"
    )
    lead_unit_name = serializers.CharField(
        source="lead_unit.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="牵头单位名称(待派单时为空)",
    )

    class Meta:
        model = SupervisedItem
        fields = [
            "id",
            "number",
            "kind",
            "year",
            "sequence",
            "title",
            "description",
            "region",
            "zone",
            "province_code",
            "level",
            "lead_unit",
            "lead_unit_name",
            "supporting_units",
            "state",
            "opened",
            "deadline",
            "deadline_official",
            "accept_deadline",
            "light",
            "escalation_days",
            "accept_escalation_days",
            "escalated_at",
            "on_board",
            "closed",
            "subject_type",
            "subject_id",
        ]
        read_only_fields = fields


class LogEntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One 督办 entry of an item."""

    withheld: ClassVar[dict[str, str]] = {"user": "users are not a resource of this API"}

    class Meta:
        model = LogEntry
        fields = ["id", "item", "province_code", "time", "kind", "unit", "state", "note"]
        read_only_fields = fields
