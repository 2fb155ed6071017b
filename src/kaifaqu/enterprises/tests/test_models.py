from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kaifaqu.enterprises.models import Enterprise, EnterpriseYear

pytestmark = pytest.mark.django_db


def test_denormalised_province_code_follows_the_zone(province):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    assert enterprise.province_code == "990000"
    assert enterprise.years.get(year=2025).province_code == "990000"


def test_uscc_is_unique(province):
    existing = province["enterprises"]["东城纺织有限公司"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.create(
            uscc=existing.uscc, name="重复代码公司", zone=existing.zone, region=existing.region
        )
    assert Enterprise.objects.filter(uscc=existing.uscc).count() == 1


def test_invalid_uscc_fails_full_clean(province):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    enterprise.uscc = "91350100M000100Y44"
    with pytest.raises(ValidationError) as raised:
        enterprise.full_clean()
    assert raised.value.message_dict["uscc"] == ["统一社会信用代码校验位错误:末位应为 3,实为 4"]


def test_one_row_per_enterprise_and_year(province):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseYear.objects.create(enterprise=enterprise, zone=enterprise.zone, year=2025)
    assert enterprise.years.filter(year=2025).count() == 1


@pytest.mark.parametrize("field", ["land_area_mu", "energy_tce", "tax_paid"])
def test_database_refuses_negative_quantities(province, field):
    row = province["enterprises"]["东城纺织有限公司"].years.get(year=2025)
    before = getattr(row, field)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseYear.objects.filter(pk=row.pk).update(**{field: Decimal("-1")})
    row.refresh_from_db()
    assert getattr(row, field) == before


def test_missing_is_stored_as_null_not_zero(province):
    row = province["enterprises"]["东城纺织有限公司"].years.get(year=2025)
    assert row.energy_tce is None
    assert row.tax_paid == Decimal("88.25")
