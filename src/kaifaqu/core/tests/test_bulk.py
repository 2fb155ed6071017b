"""Bulk reads and writes give what the ORM gives, on SQLite and on PostgreSQL alike."""

import uuid
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kaifaqu.audit.models import ObjectChange
from kaifaqu.core.bulk import (
    backfill_in_batches,
    insert_frame,
    new_ids,
    read_frame,
    update_frame,
)
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.jobs.models import Job

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
    frame = read_frame(rows, FIELDS).sort("id")
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
    frame = read_frame(Enterprise.objects.filter(pk__in=[first.pk, second.pk]), names).sort("id")
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
    (read,) = read_frame(EnterpriseYear.objects.filter(pk=row.pk), ["value_added"])["value_added"]
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


def change_rows(**columns):
    """Two change-log rows as ``insert_frame`` takes them, with ``columns`` over the defaults."""
    common = {
        "time": ["2026-01-02 03:04:05", "2026-01-02 03:04:05"],
        "user_id": pl.Series([None, None], dtype=pl.Int64),
        "username": ["system", "system"],
        "role": ["", "zone_analyst"],
        "ip": pl.Series([None, "10.0.0.1"], dtype=pl.String),
        "channel": ["cli", "cli"],
        "request_id": ["00000000-0000-0000-0000-000000000001"] * 2,
        "content_type_id": [ContentType.objects.get_for_model(Enterprise).pk] * 2,
        "action": ["update", "update"],
        "object_id": ["1", "2"],
        "object_repr": ['甲 "企业", 逗号', "乙\n换行"],
        "province_code": ["990000", "990000"],
        "region_code": ["", "990100"],
    }
    return pl.DataFrame({**common, **columns})


def test_json_columns_are_written_by_their_field_type_whatever_the_frame_holds():
    # Given JSON of a text field as its text and as a struct, with nulls, quotes and Chinese
    frame = change_rows(
        before=pl.Series(['{"名称": "甲\\"乙", "n": [1, 2]}', None], dtype=pl.String),
        after=pl.Series([{"tax": "12.5", "tags": [3]}, None]),
    )
    # When the rows are inserted
    insert_frame(ObjectChange, frame)
    # Then each reads back as the JSON it was, a null as a null, and the text as it was
    stored = ObjectChange.objects.order_by("object_id")
    assert [(c.before, c.after) for c in stored] == [
        ({"名称": '甲"乙', "n": [1, 2]}, {"tax": "12.5", "tags": [3]}),
        (None, None),
    ]
    assert list(stored.values_list("object_repr", "role", "ip")) == [
        ('甲 "企业", 逗号', "", None),
        ("乙\n换行", "zone_analyst", "10.0.0.1"),
    ]


def test_a_json_field_takes_structs_and_lists(province_analyst):
    # Given jobs whose parameters are a struct column and whose results a list column
    frame = pl.DataFrame(
        {
            "id": [str(uuid.UUID(int=1)), str(uuid.UUID(int=2))],
            "kind": ["import_validate"] * 2,
            "key": ["a", "b"],
            "params": [{"batch": 7, "note": "中文"}, {"batch": 8, "note": None}],
            "user_id": [province_analyst.pk] * 2,
            "request_id": [str(uuid.UUID(int=3))] * 2,
            "state": ["done"] * 2,
            "done": [1, 0],
            "message": ["", ""],
            "result": pl.Series([[1.5, 2.0], None], dtype=pl.List(pl.Float64)),
            "result_file": ["", ""],
            "error": ["", ""],
            "created": ["2026-01-02 03:04:05"] * 2,
        }
    )
    # When they are inserted
    insert_frame(Job, frame)
    # Then the JSON field holds them as JSON (a struct's null member included), a null as null
    assert list(Job.objects.order_by("key").values_list("params", "result")) == [
        ({"batch": 7, "note": "中文"}, [1.5, 2.0]),
        ({"batch": 8, "note": None}, None),
    ]


def test_written_rows_read_back_as_written_and_typed(province):
    # Given yearly rows as a frame: keys, a year, a flag, decimals (one null) and a count
    enterprise = Enterprise.objects.order_by("pk").first()
    ids = new_ids(EnterpriseYear, 2)
    frame = pl.DataFrame(
        {
            "id": ids,
            "enterprise_id": [enterprise.pk] * 2,
            "zone_id": [enterprise.zone_id] * 2,
            "province_code": ["990000"] * 2,
            "year": [1990, 1991],
            "above_scale": [True, False],
            "tax_paid": pl.Series([Decimal("0.0028"), None], dtype=pl.Decimal(38, 4)),
            "value_added": pl.Series([Decimal("99999999999.9999"), Decimal("-12.5")]),
            "avg_employees": [7, None],
        }
    )
    # When they are inserted, and read back with a path through a relation, with no parameter
    insert_frame(EnterpriseYear, frame)
    names = ["id", "enterprise__uscc", "enterprise__registration_date", *frame.columns[4:]]
    read = read_frame(EnterpriseYear.objects.all(), names).filter(pl.col("id").is_in(ids))
    # Then the ORM reads the same rows, and the frame holds them typed as their fields
    stored = EnterpriseYear.objects.filter(pk__in=ids).order_by("pk").values_list(*names)
    assert read.sort("id").rows() == list(stored)
    assert read.schema == {
        "id": pl.Int64,
        "enterprise__uscc": pl.String,
        "enterprise__registration_date": pl.Date,
        "year": pl.Int64,
        "above_scale": pl.Boolean,
        "tax_paid": pl.Decimal(38, 4),
        "value_added": pl.Decimal(38, 4),
        "avg_employees": pl.Int64,
    }
    assert read.sort("id")["tax_paid"].to_list() == [Decimal("0.0028"), None]


def test_empty_text_reads_as_empty_and_null_as_null():
    # Given a change-log row with an empty role and no address, and one with both
    insert_frame(ObjectChange, change_rows(before=[None, None], after=[None, None]))
    # When their text columns are read in bulk, then "" stays "" and null stays null
    read = read_frame(ObjectChange.objects.all(), ["object_id", "role", "ip", "object_repr"])
    assert read.sort("object_id").rows() == [
        ("1", "", None, '甲 "企业", 逗号'),
        ("2", "zone_analyst", "10.0.0.1", "乙\n换行"),
    ]


def test_numbers_read_as_floats_are_the_doubles_nearest_the_stored_values(province):
    # Given stored decimals (one with trailing zeros, one missing) and a count
    row = EnterpriseYear.objects.order_by("pk").first()
    EnterpriseYear.objects.filter(pk=row.pk).update(
        value_added=Decimal("1234567.1235"), tax_paid=Decimal("40.0000"), energy_tce=None
    )
    names = ["value_added", "tax_paid", "energy_tce", "avg_employees"]
    # When they are read as floats
    frame = read_frame(EnterpriseYear.objects.filter(pk=row.pk), names, floats=names)
    # Then each is the float of the ORM's value, a missing one null
    stored = EnterpriseYear.objects.values_list(*names).get(pk=row.pk)
    assert frame.rows() == [tuple(None if v is None else float(v) for v in stored)]
    assert frame.schema == dict.fromkeys(names, pl.Float64)


def test_times_are_refused():
    with pytest.raises(TypeError, match="not times"):
        read_frame(ObjectChange.objects.all(), ["time"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backfill_updates_the_chosen_rows_a_key_range_per_statement(province):
    # Given ten yearly rows, four of them chosen, and a copy of the table's other values
    keys = list(EnterpriseYear.objects.order_by("pk").values_list("pk", flat=True))
    chosen = EnterpriseYear.objects.filter(pk__in=keys[3:7])
    others = EnterpriseYear.objects.exclude(pk__in=keys[3:7]).order_by("pk")
    before = list(others.values_list())
    # When a column of the chosen rows is backfilled three key values at a time
    with CaptureQueriesContext(connection) as queries:
        updated = backfill_in_batches(chosen, batch_size=3, rd_staff=F("year") - 2000)
    # Then each chosen row holds its value, no other row changed, and the four rows' key range
    # took two UPDATE statements
    assert updated == 4
    assert sorted(chosen.values_list("rd_staff", "year")) == sorted(
        (year - 2000, year) for year in chosen.values_list("year", flat=True)
    )
    assert list(others.values_list()) == before
    statements = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert len(statements) == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backfill_of_nothing_updates_nothing():
    assert backfill_in_batches(EnterpriseYear.objects.all(), rd_staff=1) == 0


def test_backfill_is_refused_inside_an_atomic_block(province):
    # Given a transaction (an atomic migration's), when a backfill is started, then it is refused
    # before any row changes
    before = list(EnterpriseYear.objects.order_by("pk").values_list("rd_staff", flat=True))
    with pytest.raises(TransactionManagementError):
        backfill_in_batches(EnterpriseYear.objects.all(), rd_staff=1)
    assert list(EnterpriseYear.objects.order_by("pk").values_list("rd_staff", flat=True)) == before
