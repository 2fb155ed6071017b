"""The change log writes a stored row's values alike, whether a page or an import wrote it."""

import io
from datetime import date
from decimal import Decimal

import polars as pl
import pytest
import xlsxwriter

from kaifaqu.audit.log import snapshot
from kaifaqu.audit.models import ObjectChange
from kaifaqu.audit.snapshots import snapshot_json
from kaifaqu.catalog.models import Tag
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake.actions import commit_batch, create_batch
from kaifaqu.intake.exports import export_queryset
from kaifaqu.intake.importers import IMPORTERS
from kaifaqu.spreadsheets.writing import to_xlsx

pytestmark = pytest.mark.django_db


def test_values_are_encoded_by_their_field():
    # Given a decimal with trailing zeros, a whole one, a date, unsorted ids and nulls
    fields = [Enterprise._meta.get_field(name) for name in ("registered_capital", "merger_date")]
    fields += [EnterpriseYear._meta.get_field("avg_employees"), Enterprise._meta.get_field("tags")]
    rows = pl.DataFrame(
        {
            "registered_capital": [Decimal("12.5000"), Decimal("100.0000"), None],
            "merger_date": [date(2024, 2, 29), None, None],
            "avg_employees": [3, None, 0],
            "tags": [[5, 2, 5], [], None],
        },
        schema_overrides={"registered_capital": pl.Decimal(38, 4)},
    )
    # When their snapshots are encoded, then each value is written by its field's rule
    assert snapshot_json(fields, rows).to_list() == [
        '{"registered_capital":"12.5","merger_date":"2024-02-29","avg_employees":3,"tags":[2,5]}',
        '{"registered_capital":"100","merger_date":null,"avg_employees":null,"tags":[]}',
        '{"registered_capital":null,"merger_date":null,"avg_employees":0,"tags":null}',
    ]


def imported(data, kind, user):
    batch = commit_batch(create_batch(data, "文件.xlsx", kind, acting_user=user), acting_user=user)
    assert batch.state == "committed", batch.problems
    return ObjectChange.objects.get(request_id=batch.request_id)


def written_fields(kind):
    importer = IMPORTERS[kind]
    return {*importer.fields, *importer.m2m_fields}


def test_an_enterprise_imported_is_logged_as_a_page_logs_it(province, zone_user):
    # Given an enterprise with a date, a capital with trailing zeros and two tags, exported
    enterprise = province["enterprises"]["东城纺织有限公司"]
    Enterprise.objects.filter(pk=enterprise.pk).update(
        registration_date=date(2024, 2, 29), registered_capital=Decimal("500.5000")
    )
    enterprise.tags.add(Tag.objects.get(name="专精特新"))
    spec, rows = export_queryset("enterprises", Enterprise.objects.filter(pk=enterprise.pk))
    exported = to_xlsx(spec, rows)
    # and stopped since, as a page's change log would write it before and after the import
    Enterprise.objects.filter(pk=enterprise.pk).update(status="stopped")
    page_before = snapshot(Enterprise.objects.get(pk=enterprise.pk))
    # When the export is imported again
    change = imported(exported, "enterprises", zone_user)
    page_after = snapshot(Enterprise.objects.get(pk=enterprise.pk))
    # Then the import logs the page's values of every field it writes
    assert set(change.before) == set(change.after) == written_fields("enterprises")
    assert change.before == {name: page_before[name] for name in change.before}
    assert change.after == {name: page_after[name] for name in change.after}
    assert (change.before["status"], change.after["status"]) == ("stopped", "operating")
    assert change.before["registered_capital"] == "500.5"
    assert change.before["registration_date"] == "2024-02-29"
    assert change.before["tags"] == sorted(enterprise.tags.values_list("pk", flat=True))


def test_a_year_imported_is_logged_as_a_page_logs_it(province, zone_user):
    # Given a stored year (decimals of 4 places, figures missing) and a file changing its tax
    enterprise = province["enterprises"]["东城纺织有限公司"]
    year = EnterpriseYear.objects.get(enterprise=enterprise, year=2024)
    page_before = snapshot(year)
    header = ["统一社会信用代码", "年度", "规模", "营业收入(万元)", "纳税总额(元)", "用地面积(亩)"]
    data = workbook(header, [[enterprise.uscc, 2024, "规上", 2001, "900000", 40]])
    # When it is imported
    change = imported(data, "enterprise-years", zone_user)
    # Then the import logs the page's values of every field it writes, before and after
    assert set(change.before) == written_fields("enterprise-years")
    assert change.before == {name: page_before[name] for name in change.before}
    page_after = snapshot(EnterpriseYear.objects.get(pk=year.pk))
    assert change.after == {name: page_after[name] for name in change.after}
    assert (change.before["tax_paid"], change.after["tax_paid"]) == ("88.25", "90")
    assert (change.before["value_added"], change.after["land_area_mu"]) == (None, "40")


def workbook(header, rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("企业年度数据")
    for index, row in enumerate([header, *rows]):
        sheet.write_row(index, 0, row)
    book.close()
    return buffer.getvalue()
