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
