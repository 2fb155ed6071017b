"""Shared test fixtures: a small hand-made province and a real Chromium for browser tests."""

import os
import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver

# Playwright's sync API runs an event loop; pytest-django's ORM calls from the same thread are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_system_tool(path: str, package: str) -> None:
    """Skip when a Debian package is missing locally; under CI=true a missing one is a failure."""
    if shutil.which(path) is None:
        message = f"needs {path} from Debian's package {package} (apt-get install {package})"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def browser() -> Iterator[Any]:
    # Function-scoped on purpose: Playwright's event loop gives Django's connections a new
    # context, so it must start after the test database has been set up for the test.
    require_system_tool(CHROMIUM, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def province(db: None) -> dict[str, Any]:
    """Two cities, three zones, five enterprises with two years each: small enough to reason on."""
    from kaifaqu.catalog.models import Industry, Region, Tag
    from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
    from kaifaqu.zones.models import Zone

    prov = Region.objects.create(code="990000", name="示范省", level="province")
    east = Region.objects.create(code="990100", name="东城市", level="city", parent=prov)
    west = Region.objects.create(code="990200", name="西城市", level="city", parent=prov)
    east_county = Region.objects.create(code="990102", name="东城区", level="county", parent=east)
    zones = {
        "east": Zone.objects.create(
            code="Z001",
            name="东城经济技术开发区",
            kind="national_etdz",
            region=east_county,
            comparison_group="东部",
            approval_date=date(2010, 5, 1),
            approved_area_km2=Decimal("12.50"),
        ),
        "east_htz": Zone.objects.create(
            code="Z002",
            name="东城高新技术产业开发区",
            kind="national_htz",
            region=east,
            comparison_group="东部",
        ),
        "west": Zone.objects.create(
            code="Z003",
            name="西城经济开发区",
            kind="provincial_edz",
            region=west,
            comparison_group="西部",
        ),
    }
    textiles, chemicals = Industry.objects.get(code="17"), Industry.objects.get(code="26")
    high_tech = Tag.objects.get(name="高新技术企业")
    specs = [
        ("91990102MA0000001", "东城纺织有限公司", "east", textiles, "operating", True),
        ("91990102MA0000002", "东城化工股份有限公司", "east", chemicals, "operating", False),
        ("91990100MA0000003", "高新电子有限公司", "east_htz", textiles, "stopped", True),
        ("91990200MA0000004", "西城化工有限公司", "west", chemicals, "operating", True),
        ("91990200MA0000005", "西城纺织有限公司", "west", textiles, "deregistered", False),
    ]
    enterprises = {}
    from kaifaqu.catalog.uscc import uscc_check_character

    for first17, name, zone_key, industry, status, above_scale in specs:
        zone = zones[zone_key]
        enterprise = Enterprise.objects.create(
            uscc=first17 + uscc_check_character(first17),
            name=name,
            zone=zone,
            region=zone.region,
            industry=industry,
            status=status,
        )
        if above_scale:
            enterprise.tags.add(high_tech)
        for year in (2024, 2025):
            EnterpriseYear.objects.create(
                enterprise=enterprise,
                zone=zone,
                year=year,
                above_scale=above_scale,
                operating_revenue=Decimal("1000.5") * (year - 2022),
                tax_paid=Decimal("88.25"),
                land_area_mu=Decimal("40"),
            )
        enterprises[name] = enterprise
    return {"province": prov, "zones": zones, "enterprises": enterprises}


@pytest.fixture
def usccs(province: dict[str, Any]) -> dict[str, str]:
    """The province's USCCs by enterprise name."""
    return {name: e.uscc for name, e in province["enterprises"].items()}


def url_routes(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """Every URL pattern below ``patterns``: its route (no leading slash) and its full name."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}"


def make_user(
    username: str,
    role_code: str,
    *,
    region: Any = None,
    zones: tuple[Any, ...] = (),
    enterprise: Any = None,
) -> Any:
    from django.contrib.auth import get_user_model

    from kaifaqu.access.models import Profile, Role

    user = get_user_model().objects.create_user(username, password="pass-for-tests-2026")
    role = Role.objects.get(code=role_code)
    business, admin = (role, None) if role.kind == "business" else (None, role)
    profile = Profile.objects.create(
        user=user,
        role=business,
        admin_role=admin,
        region=region,
        enterprise=enterprise,
        must_change_password=False,
    )
    profile.zones.set(zones)
    return user


@pytest.fixture
def province_analyst(province: dict[str, Any]) -> Any:
    """A province analyst of the demo province: sees and changes everything in it."""
    return make_user("analyst", "province_analyst", region=province["province"])


@pytest.fixture
def zone_user(province: dict[str, Any]) -> Any:
    """A user of the east zone's 管委会: sees and changes that zone only."""
    return make_user("east_staff", "zone_analyst", zones=(province["zones"]["east"],))


@pytest.fixture
def analyst_client(client: Any, province_analyst: Any) -> Any:
    client.force_login(province_analyst)
    return client


@pytest.fixture
def zone_client(client: Any, zone_user: Any) -> Any:
    client.force_login(zone_user)
    return client
