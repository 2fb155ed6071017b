from kaifaqu.api.serializers import AuditedModelSerializer
from kaifaqu.zones.models import Zone, ZoneYear


class ZoneSerializer(AuditedModelSerializer):
    m2m_fields = ("leading_industries",)

    class Meta:
        model = Zone
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "region",
            "province_code",
            "comparison_group",
            "approval_date",
            "approved_area_km2",
            "leading_industries",
            "boundary",
            "centre_lng",
            "centre_lat",
        ]
        read_only_fields = ["province_code"]


class ZoneYearSerializer(AuditedModelSerializer):
    class Meta:
        model = ZoneYear
        fields = ["id", "zone", "province_code", "year", "indicator", "value"]
        read_only_fields = ["province_code"]
