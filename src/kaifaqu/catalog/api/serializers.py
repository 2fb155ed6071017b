from rest_framework import serializers

from kaifaqu.catalog.models import Indicator, Industry, Region, Tag


class RegionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Region
        fields = ["id", "code", "name", "level", "parent", "province_code"]


class IndustrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Industry
        fields = ["id", "code", "name", "level", "parent"]


class TagSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Tag
        fields = ["id", "name", "description"]


class IndicatorSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "definition",
            "direction",
            "source",
            "minimum",
            "maximum",
            "integer",
        ]
