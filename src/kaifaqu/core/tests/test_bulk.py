"""Bulk reads and updates give what the ORM gives, on SQLite and on PostgreSQL alike."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaifaqu.core.bulk import select_frame, update_frame
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear

pytestmark = pytest.mark.django_db

FIELDS = ["id", "year", "above_scale", "operating_revenue", "value_added", "avg_employees"]


def test_stored_rows_read_as_the_orm_reads_them(province):
    # Given yearly rows with awkward decimals (as SQLite holds them: the REAL nearest)
    row = EnterpriseYear.objects.order_by("pk").first()
    values = ["0.0028", "1234567.1235", "-12.5", "0", None, "99999999999.9999"]
    for offset, value in enumerate(values):
        row.pk, row.year = None, 1900 + offset
        row.value_added = None if value is None else Decimal(value)
        row.save()
    rows = EnterpriseYear.objects.order_by("pk")
    # When they are read in bulk
    frame = select_frame(EnterpriseYear, FIELDS, list(rows.values_list("pk", flat=True)))
    # Then every value is the ORM's, typed
    assert frame.rows() == list(rows.values_list(*FIELDS))
    assert frame["value_added"].to_list()[-6:] == [
        None if v is None else Decimal(v).quantize(Decimal("0.0001")) for v in values
    ]


# Each example overwrites the one row it reads, so sharing the province between examples is safe.
SHARED_FIXTURE = [HealthCheck.function_scoped_fixture]


def test_stored_dates_read_as_the_orm_reads_them(province):
    # Given enterprises with a date, with none, and on a leap day
    first, second = Enterprise.objects.order_by("pk")[:2]
    Enterprise.objects.filter(pk=first.pk).update(registration_date=date(2024, 2, 29))
    # When their dates are read in bulk, then they are the ORM's
    names = ["id", "registration_date", "merger_date"]
    frame = select_frame(Enterprise, names, [first.pk, second.pk]).sort("id")
    stored = Enterprise.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
    assert frame.rows() == list(stored.values_list(*names))
    assert frame["registration_date"].to_list()[0] == date(2024, 2, 29)


@settings(max_examples=40, deadline=None, suppress_health_check=SHARED_FIXTURE)
@given(st.decimals(min_value=-(10**11), max_value=10**11, places=4, allow_nan=False))
def test_any_stored_decimal_of_fifteen_digits_reads_back_exactly(province, amount):
    # Given a stored amount of up to 15 significant digits
    row = EnterpriseYear.objects.order_by("pk").first()
    EnterpriseYear.objects.filter(pk=row.pk).update(value_added=amount)
    # When it is read in bulk, then it is the amount, as the ORM reads it
    (read,) = select_frame(EnterpriseYear, ["value_added"], [row.pk])["value_added"]
    assert read == amount == EnterpriseYear.objects.get(pk=row.pk).value_added


def test_update_sets_every_named_column_of_every_named_row(province):
    # Given two enterprises and two yearly rows
    first, second = Enterprise.objects.order_by("pk")[:2]
    years = list(EnterpriseYear.objects.order_by("pk")[:2])
    before = EnterpriseYear.objects.exclude(pk__in=[y.pk for y in years]).values_list()
    before = list(before.order_by("pk"))
    # When one frame sets decimals, a boolean, a null and an integer, and another a date
    update_frame(
        EnterpriseYear,
        pl.DataFrame(
            {
                "id": [years[0].pk, years[1].pk],
                "tax_paid": ["12.5", None],
                "above_scale": [False, True],
                "avg_employees": [7, None],
            }
        ),
    )
    update_frame(
        Enterprise,
        pl.DataFrame({"id": [first.pk, second.pk], "merger_date": ["2024-02-29", None]}),
    )
    # Then those columns of those rows hold the new values, and nothing else changed
    got = EnterpriseYear.objects.filter(pk__in=[y.pk for y in years]).order_by("pk")
    assert list(got.values_list("tax_paid", "above_scale", "avg_employees")) == [
        (Decimal("12.5000"), False, 7),
        (None, True, None),
    ]
    assert got[0].operating_revenue == years[0].operating_revenue
    dates = Enterprise.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
    assert list(dates.values_list("merger_date", flat=True)) == [date(2024, 2, 29), None]
    after = EnterpriseYear.objects.exclude(pk__in=[y.pk for y in years]).values_list()
    assert list(after.order_by("pk")) == before
