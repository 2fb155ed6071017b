"""A content hash of the demo province: same seed and size, same hash, on any database."""

import hashlib
from typing import Any

from django.db.models import QuerySet

from kaifaqu.catalog.models import Region
from kaifaqu.demo.generator import PROVINCE
from kaifaqu.demo.yearly import FIELDS
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear
from kaifaqu.maps.models import Boundary
from kaifaqu.zones.models import Zone, ZoneYear


def demo_querysets() -> list[QuerySet[Any, Any]]:
    """Every demo row, by natural keys: database ids differ from run to run, content must not."""
    mine = {"province_code": PROVINCE}
    leading = Zone.leading_industries.through.objects.filter(zone__province_code=PROVINCE)
    tags = Enterprise.tags.through.objects.filter(enterprise__province_code=PROVINCE)
    return [
        Region.objects.filter(**mine)
        .order_by("code")
        .values_list("code", "name", "level", "parent__code"),
        Zone.objects.filter(**mine)
        .order_by("code")
        .values_list(
            "code",
            "name",
            "kind",
            "region__code",
            "comparison_group",
            "approval_date",
            "approved_area_km2",
            "centre_lng",
            "centre_lat",
        ),
        # Outlines do not depend on the seed (demo/tests/test_outlines.py); their JSON's key order
        # does depend on the database, so only which divisions have one is digested.
        Boundary.objects.filter(region__province_code=PROVINCE)
        .order_by("region__code")
        .values_list("region__code", "source"),
        leading.order_by("zone__code", "industry__code").values_list(
            "zone__code", "industry__code"
        ),
        Enterprise.objects.filter(**mine)
        .order_by("uscc")
        .values_list(
            "uscc",
            "name",
            "zone__code",
            "region__code",
            "industry__code",
            "registration_date",
            "registered_capital",
            "ownership",
            "status",
            "first_above_scale_year",
            "land_completion_date",
            "merger_date",
            "exempt_military",
            "exempt_utility",
        ),
        tags.order_by("enterprise__uscc", "tag__name").values_list("enterprise__uscc", "tag__name"),
        EnterpriseYear.objects.filter(**mine)
        .order_by("enterprise__uscc", "year")
        .values_list("enterprise__uscc", "zone__code", "year", "above_scale", *FIELDS),
        EnterpriseEvent.objects.filter(**mine)
        .order_by("enterprise__uscc", "date", "kind")
        .values_list("enterprise__uscc", "kind", "date", "note"),
        ZoneYear.objects.filter(**mine)
        .order_by("zone__code", "year", "indicator__code")
        .values_list("zone__code", "year", "indicator__code", "value"),
    ]


def content_digest() -> str:
    digest = hashlib.sha256()
    for queryset in demo_querysets():
        for row in queryset.iterator(chunk_size=5000):
            digest.update(repr(row).encode())
    return digest.hexdigest()
