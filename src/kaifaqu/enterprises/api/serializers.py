from kaifaqu.api.serializers import AuditedModelSerializer
from kaifaqu.enterprises.models import (
    PROFILE_FIELDS,
    STATISTICS_FIELDS,
    Enterprise,
    EnterpriseEvent,
    EnterpriseYear,
)


class EnterpriseSerializer(AuditedModelSerializer):
    m2m_fields = ("tags",)

    class Meta:
        model = Enterprise
        fields = ["id", *PROFILE_FIELDS, "province_code", "tags"]
        read_only_fields = ["province_code"]


class EnterpriseYearSerializer(AuditedModelSerializer):
    class Meta:
        model = EnterpriseYear
        fields = [
            "id",
            "enterprise",
            "zone",
            "province_code",
            "year",
            "above_scale",
            *STATISTICS_FIELDS,
        ]
        read_only_fields = ["province_code"]


class EnterpriseEventSerializer(AuditedModelSerializer):
    class Meta:
        model = EnterpriseEvent
        fields = ["id", "enterprise", "province_code", "kind", "date", "note"]
        read_only_fields = ["province_code"]
