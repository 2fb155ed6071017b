import pytest
from django.db import IntegrityError, transaction

from kaifaqu.catalog.models import Indicator, Industry, Region

pytestmark = pytest.mark.django_db


def test_reference_data_holds_gbt4754_sections_and_divisions():
    assert Industry.objects.filter(level="section").count() == 20
    assert Industry.objects.filter(level="division").count() == 97
    manufacturing = Industry.objects.get(code="C")
    assert list(manufacturing.children.values_list("code", flat=True)) == [
        str(code) for code in range(13, 44)
    ]


def test_indicator_library_marks_cost_indicators():
    assert Indicator.objects.get(code="energy_per_gdp").direction == -1
    assert Indicator.objects.get(code="tax_per_mu").unit == "万元/亩"


def test_region_province_code_is_derived_from_its_code():
    province = Region.objects.create(code="990000", name="示范省", level="province")
    city = Region.objects.create(code="990100", name="东城市", level="city", parent=province)
    assert city.province_code == "990000"


def test_a_city_needs_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="990100", name="孤城市", level="city")
    assert not Region.objects.filter(code="990100").exists()


@pytest.mark.parametrize(
    ("code", "province"), [("330000", "330000"), ("330100", "330000"), ("330102", "330000")]
)
def test_province_code_of_a_division_code(code, province):
    assert Region.province_code_of(code) == province


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [("330000", "province", "33"), ("330100", "city", "3301"), ("330102", "county", "330102")],
)
def test_code_prefix_is_what_every_code_inside_starts_with(code, level, prefix):
    assert Region.code_prefix_of(code, level) == prefix
    assert Region(code=code, level=level).code_prefix == prefix


@pytest.mark.parametrize(
    ("code", "ancestors"),
    [
        ("330000", ()),
        ("330100", ("330000",)),
        ("330102", ("330000", "330100")),
        # A county-level division straight under its province (city digits 00) has no city.
        ("330001", ("330000",)),
    ],
)
def test_ancestor_codes_are_the_province_then_the_city_above(code, ancestors):
    assert Region.ancestor_codes_of(code) == ancestors
    assert Region(code=code).ancestor_codes() == ancestors
