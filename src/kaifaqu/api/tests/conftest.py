"""Fixtures of the API tests: a second province, a token-authenticated system, API clients."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from conftest import make_user
from kaifaqu.api.tests.helpers import SYSTEM_KEY, make_token


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Files the tests' jobs write go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def no_throttling(settings):
    """For tests that make many requests as one user; the throttles have their own test."""
    rates = {"anon": None, "user": None}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def with_zone_year_and_event(zone: Any, enterprise: Any, indicator: Any) -> None:
    from kaifaqu.enterprises.models import EnterpriseEvent
    from kaifaqu.zones.models import ZoneYear

    ZoneYear.objects.create(zone=zone, year=2025, indicator=indicator, value=Decimal("12.5"))
    EnterpriseEvent.objects.create(
        enterprise=enterprise, kind="safety_accident", date=date(2025, 6, 1), note="一般事故"
    )


@pytest.fixture
def two_provinces(province: dict[str, Any]) -> dict[str, Any]:
    """The shared 示范省 plus 南方省 with one zone and one enterprise (USCC-valid, two years).

    Each zone the tests reach gets one yearly indicator value and each chosen enterprise one event.
    """
    from kaifaqu.catalog.models import Indicator, Industry, Region
    from kaifaqu.catalog.uscc import uscc_check_character
    from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
    from kaifaqu.zones.models import Zone

    south_province = Region.objects.create(code="980000", name="南方省", level="province")
    south_city = Region.objects.create(
        code="980100", name="南湖市", level="city", parent=south_province
    )
    south = Zone.objects.create(
        code="Z101", name="南湖经济开发区", kind="provincial_edz", region=south_city
    )
    first17 = "91980100MA0000009"
    south_enterprise = Enterprise.objects.create(
        uscc=first17 + uscc_check_character(first17),
        name="南湖新材料有限公司",
        zone=south,
        region=south_city,
        industry=Industry.objects.get(code="26"),
    )
    for year in (2024, 2025):
        EnterpriseYear.objects.create(
            enterprise=south_enterprise, zone=south, year=year, tax_paid=Decimal("7.5")
        )
    indicator = Indicator.objects.order_by("code").first()
    zones = {**province["zones"], "south": south}
    enterprises = {
        "east": province["enterprises"]["东城纺织有限公司"],
        "east_htz": province["enterprises"]["高新电子有限公司"],
        "west": province["enterprises"]["西城化工有限公司"],
        "south": south_enterprise,
    }
    for key, enterprise in enterprises.items():
        with_zone_year_and_event(zones[key], enterprise, indicator)
    return {
        "provinces": {"demo": province["province"], "south": south_province},
        "zones": zones,
        "enterprises": enterprises,
        "indicator": indicator,
    }


@pytest.fixture
def system_user(two_provinces: dict[str, Any]) -> Any:
    """An exchange system (e.g. 南方省's 政务服务 platform): a province analyst with a token."""
    user = make_user(
        "south_exchange", "province_analyst", region=two_provinces["provinces"]["south"]
    )
    make_token(user, SYSTEM_KEY)
    return user


@pytest.fixture
def token_client(system_user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {SYSTEM_KEY}")
    return client


@pytest.fixture
def api_analyst_client(province_analyst: Any) -> APIClient:
    client = APIClient()
    client.force_login(province_analyst)
    return client


@pytest.fixture
def api_zone_client(zone_user: Any) -> APIClient:
    client = APIClient()
    client.force_login(zone_user)
    return client
