from rest_framework import serializers

from kaifaqu.supervision.models import LogEntry, SupervisedItem


class SupervisedItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A supervised item as its outcome is read back (written only through its actions)."""

    kind = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="编号前缀")
    lead_unit_name = serializers.CharField(
        source="lead_unit.name", read_only=True, default=None, help_text="牵头单位名称"
    )

    class Meta:
        model = SupervisedItem
        fields = [
            "id",
            "number",
            "kind",
            "year",
            "title",
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
            "light",
            "on_board",
            "closed",
        ]
        read_only_fields = fields


class LogEntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """One 督办 entry of an item."""

    class Meta:
        model = LogEntry
        fields = ["id", "item", "time", "kind", "unit", "state", "note"]
        read_only_fields = fields
