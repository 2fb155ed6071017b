from kaifaqu.api.serializers import AuditedModelSerializer
from kaifaqu.enterprises.models import (
    STATISTICS_FIELDS,
    Enterprise,
    EnterpriseEvent,
    EnterpriseYear,
)


class EnterpriseSerializer(AuditedModelSerializer):
    m2m_fields = ("tags",)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name",
            "zone",
            "region",
            "province_code",
            "industry",
            "registration_date",
            "registered_capital",
            "ownership",
            "status",
            "first_above_scale_year",
            "land_completion_date",
            "merger_date",
            "exempt_military",
            "exempt_utility",
            "tags",
        ]
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
