"""What the demo province looks like: counts, codes, names, calibration, missing values, errors.

One province of 3,000 enterprises is generated for the whole module and rolled back at the end.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.catalog.uscc import is_valid_uscc
from kaifaqu.demo.generator import PROVINCE, generate
from kaifaqu.demo.yearly import FIELDS, TARGETS
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone, ZoneYear

pytestmark = [pytest.mark.django_db, pytest.mark.demo_build]

ENTERPRISES = 3000
LATEST = 2025


@pytest.fixture(scope="module", autouse=True)
def province(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(seed=2026, enterprises=ENTERPRISES)
        transaction.set_rollback(True)


def years(**filters):
    return EnterpriseYear.objects.filter(province_code=PROVINCE, **filters)


def pooled_ratio(numerator, denominator, **filters):
    """Σ numerator / Σ denominator over rows with both values and a positive denominator."""
    rows = years(**filters).filter(**{f"{numerator}__isnull": False, f"{denominator}__gt": 0})
    sums = rows.aggregate(num=Sum(numerator), den=Sum(denominator))
    return float(sums["num"]) / float(sums["den"])


def test_divisions_are_a_synthetic_province_of_cities_and_counties():
    province = Region.objects.get(code=PROVINCE)
    assert province.name == "示范省(合成数据)"
    cities = Region.objects.filter(parent=province, level="city")
    assert cities.count() == 12
    assert all(city.code[4:] == "00" for city in cities)
    counties = Region.objects.filter(parent__in=cities, level="county")
    assert counties.count() == 48
    assert all(county.code[:4] == county.parent.code[:4] for county in counties)


def test_zones_of_every_kind_with_their_facts():
    zones = Zone.objects.filter(province_code=PROVINCE)
    kinds = dict(zones.values_list("kind").annotate(n=Count("id")))
    assert kinds == {
        ZoneKind.NATIONAL_ETDZ: 4,
        ZoneKind.NATIONAL_HTZ: 4,
        ZoneKind.PROVINCIAL_EDZ: 17,
        ZoneKind.PROVINCIAL_HTZ: 6,
        ZoneKind.CUSTOMS_SPECIAL: 3,
        ZoneKind.OTHER: 2,
    }
    assert set(zones.values_list("comparison_group", flat=True)) == {"东部", "中部", "西部"}
    assert not zones.filter(
        Q(approval_date=None) | Q(approved_area_km2=None) | Q(centre_lng=None) | Q(centre_lat=None)
    ).exists()
    leading = zones.annotate(n=Count("leading_industries")).values_list("n", flat=True)
    assert set(leading) <= {2, 3, 4}
    assert all(zone.name.endswith(("开发区", "综合保税区", "工业园区")) for zone in zones)


def test_enterprises_have_valid_unique_codes_and_names():
    enterprises = Enterprise.objects.filter(province_code=PROVINCE)
    usccs = list(enterprises.values_list("uscc", flat=True))
    names = list(enterprises.values_list("name", flat=True))
    assert len(usccs) == ENTERPRISES
    assert all(is_valid_uscc(code) for code in usccs)
    assert len(set(usccs)) == len(set(names)) == ENTERPRISES
    assert all(code.startswith("9199") for code in usccs)
    assert all(name.endswith("有限公司") for name in names)


def test_enterprise_sits_in_its_zone_region_and_code_says_so():
    mismatched = Enterprise.objects.filter(province_code=PROVINCE).exclude(region=F("zone__region"))
    assert not mismatched.exists()
    pairs = Enterprise.objects.filter(province_code=PROVINCE).values_list("uscc", "region__code")
    assert all(uscc[2:8] == region for uscc, region in pairs)


def test_five_years_for_every_enterprise_alive():
    assert set(years().values_list("year", flat=True)) == {2021, 2022, 2023, 2024, 2025}
    assert years().values("enterprise").distinct().count() == ENTERPRISES
    assert not years(zone__province_code=PROVINCE).exclude(province_code=PROVINCE).exists()


def test_about_forty_percent_of_rows_above_scale():
    share = years(above_scale=True).count() / years().count()
    assert 0.35 <= share <= 0.45


@pytest.mark.parametrize(
    ("benchmark", "numerator", "denominator", "above_scale"),
    [
        ("tax_per_mu", "tax_paid", "land_area_mu", True),
        ("va_per_mu", "value_added", "land_area_mu", True),
        ("va_per_energy", "value_added", "energy_tce", True),
        ("labor_prod", "value_added", "avg_employees", True),
        ("rd_intensity", "rd_expenditure", "main_business_revenue", True),
        ("below_scale_tax_per_mu", "tax_paid", "land_area_mu", False),
    ],
)
def test_latest_year_pooled_ratios_meet_the_huangyan_benchmarks(
    benchmark, numerator, denominator, above_scale
):
    # ratio of means (Σ/Σ), as a bureau computes its 全区平均; the tolerance covers rounding only
    ratio = pooled_ratio(numerator, denominator, year=LATEST, above_scale=above_scale)
    assert ratio == pytest.approx(TARGETS[benchmark], rel=0.01)


def test_heavy_industry_uses_far_more_energy_per_output():
    def intensity(codes):
        rows = years(enterprise__industry__code__in=codes, industrial_output__gt=0)
        sums = rows.filter(energy_tce__isnull=False).aggregate(
            e=Sum("energy_tce"), o=Sum("industrial_output")
        )
        return sums["e"] / sums["o"]

    assert intensity(["25", "26", "30", "31", "32"]) > 5 * intensity(["38", "39", "40"])


def test_about_three_percent_of_values_missing():
    rows = years().count()
    missing = years().aggregate(**{name: Count("id", filter=Q(**{name: None})) for name in FIELDS})
    share = sum(missing.values()) / (rows * len(FIELDS))
    assert 0.027 <= share <= 0.033
    zone_values = ZoneYear.objects.filter(province_code=PROVINCE)
    assert 0.015 <= zone_values.filter(value=None).count() / zone_values.count() <= 0.045


def test_a_few_planted_errors_and_almost_all_rows_consistent():
    rows = years().count()
    va_over_output = years(value_added__gt=F("industrial_output")).count()
    main_over_revenue = years(main_business_revenue__gt=F("operating_revenue")).count()
    assert 0 < va_over_output <= 0.005 * rows
    assert 0 < main_over_revenue <= 0.005 * rows
    assert 0 < years(energy_tce=0).count() <= 0.01 * rows
    no_land = years(land_area_mu=0, leased_floor_area_m2=0).count()
    assert 0 < no_land <= 0.01 * rows


def test_industries_tags_statuses_and_events_are_believable():
    enterprises = Enterprise.objects.filter(province_code=PROVINCE)
    manufacturing = enterprises.filter(industry__code__gte="13", industry__code__lte="43")
    assert manufacturing.count() / ENTERPRISES > 0.95
    assert enterprises.filter(exempt_utility=True, industry__code__in=["44", "45", "46"]).exists()
    assert enterprises.filter(exempt_military=True).exists()
    operating = enterprises.filter(status="operating").count() / ENTERPRISES
    assert 0.85 <= operating <= 0.95
    assert set(enterprises.values_list("status", flat=True)) == {
        "operating", "stopped", "half_stopped", "deregistered", "moved_out"
    }  # fmt: skip
    high_tech = enterprises.filter(tags__name="高新技术企业").count() / ENTERPRISES
    assert 0.08 <= high_tech <= 0.25
    assert EnterpriseEvent.objects.filter(province_code=PROVINCE, kind="dishonest_listed").exists()


def test_leading_industries_are_over_represented():
    enterprises = Enterprise.objects.filter(province_code=PROVINCE)
    in_leading = enterprises.filter(industry__leading_in_zones=F("zone")).count()
    assert in_leading / ENTERPRISES > 0.45


def test_zone_indicators_for_every_zone_year_and_indicator():
    values = ZoneYear.objects.filter(province_code=PROVINCE)
    assert values.count() == 36 * 5 * Indicator.objects.count() == 5400
    retrofit = set(values.filter(indicator__code="circular_retrofit_done", value__isnull=False)
                   .values_list("value", flat=True))  # fmt: skip
    assert retrofit == {Decimal("0"), Decimal("1")}


def test_zone_high_tech_count_matches_its_enterprises():
    published = ZoneYear.objects.filter(
        province_code=PROVINCE, year=LATEST, indicator__code="high_tech_enterprises"
    ).exclude(value=None)
    counted = dict(
        years(year=LATEST, enterprise__tags__name="高新技术企业")
        .values_list("zone__code")
        .annotate(n=Count("id"))
    )
    assert published.count() >= 30
    assert {row.zone.code: int(row.value) for row in published} == {
        row.zone.code: counted.get(row.zone.code, 0) for row in published
    }
