"""The chunked writing of columnar reads: complete problem lists, nothing half-written, and undo
of a batch written in several chunks."""

from decimal import Decimal

import pytest

from kaifaqu.audit.models import ObjectChange
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake import writing
from kaifaqu.intake.actions import undo_batch
from kaifaqu.intake.importers import EnterpriseYearsImporter
from kaifaqu.intake.tests.test_import import run, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def usccs(province):
    names = ("东城纺织有限公司", "东城化工股份有限公司")  # in the zone user's zone
    return [province["enterprises"][name].uscc for name in names]


def test_a_column_wide_bad_value_is_reported_on_every_row(usccs, zone_user):
    # Given a file whose revenue column holds words, and whose last row is also out of range
    header = ["统一社会信用代码", "年度", "营业收入(万元)", "用地面积(亩)"]
    rows = [
        [uscc, year, "九百", 40] for uscc, year in zip(usccs * 2, (2021, 2021, 2022), strict=False)
    ]
    rows[-1][3] = -5

    batch = run(workbook(header, rows), zone_user)

    # Then every cell is reported, in row order, and nothing is written
    assert batch.state == "refused"
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in batch.problems] == [
        (2, "营业收入(万元)", "九百", "not_a_number"),
        (3, "营业收入(万元)", "九百", "not_a_number"),
        (4, "用地面积(亩)", "-5", "out_of_range"),  # within a row, by column header
        (4, "营业收入(万元)", "九百", "not_a_number"),
    ]
    assert batch.counts["invalid_rows"] == 3
    assert not EnterpriseYear.objects.filter(year__lt=2024).exists()


def test_numeric_uscc_column_is_reported_on_every_row(zone_user):
    data = workbook(["统一社会信用代码", "年度"], [[91350100123456, 2023], [1.5e17, 2023]])
    batch = run(data, zone_user)
    assert [(p["row"], p["value"], p["code"]) for p in batch.problems] == [
        (2, "91350100123456", "numeric_identifier"),
        (3, "1.5e+17", "numeric_identifier"),
    ]


def test_a_file_refused_at_its_last_row_writes_no_chunk(usccs, zone_user, monkeypatch):
    # Given chunks of two rows and a five-row file whose last row is wrong
    monkeypatch.setattr(writing, "CHUNK", 2)
    header = ["统一社会信用代码", "年度", "营业收入(万元)"]
    rows = [[usccs[i % 2], 2020 + i, 100 + i] for i in range(4)] + [[usccs[0], 2030, "x"]]

    batch = run(workbook(header, rows), zone_user)

    assert batch.state == "refused"
    assert [(p["row"], p["code"]) for p in batch.problems] == [(6, "not_a_number")]
    assert not EnterpriseYear.objects.filter(year__in=[2020, 2021, 2022, 2023, 2030]).exists()
    assert not ObjectChange.objects.exists()


def test_chunked_import_inserts_updates_logs_and_undoes(usccs, zone_user, monkeypatch):
    # Given chunks of two rows, and a file that inserts three rows, updates one stored row
    # (2024, stored with revenue 2001) and leaves another unchanged (2025, 3001.5)
    monkeypatch.setattr(writing, "CHUNK", 2)
    header = ["统一社会信用代码", "年度", "营业收入(元)", "年平均职工人数(人)"]
    rows = [
        [usccs[0], 2024, 25000000, None],  # 2500 万元: an update
        [usccs[0], 2025, 30015000, None],  # 3001.5 万元: as stored
        [usccs[0], 2023, 1234567.85, 12],
        [usccs[1], 2023, "12345", 7],
        [usccs[1], 2022, 0.5, None],
    ]

    batch = run(workbook(header, rows), zone_user, policy="keep-valid")

    # Then the counts, the stored values (rounded half up to 4 places) and the log are exact
    assert batch.state == "committed", batch.problems
    assert (batch.counts["insert"], batch.counts["update"], batch.counts["unchanged"]) == (3, 1, 1)
    stored = EnterpriseYear.objects.filter(enterprise__uscc__in=usccs)
    assert sorted(
        (y.enterprise.uscc, y.year, y.operating_revenue, y.avg_employees)
        for y in stored.filter(year__lt=2024)
    ) == sorted(
        [
            (usccs[0], 2023, Decimal("123.4568"), 12),
            (usccs[1], 2023, Decimal("1.2345"), 7),
            (usccs[1], 2022, Decimal("0.0001"), None),
        ]
    )
    changes = ObjectChange.objects.filter(request_id=batch.request_id).order_by("id")
    # chunk by chunk, a chunk's inserts before its updates
    assert [c.action for c in changes] == ["create", "update", "create", "create"]
    update = changes[1]
    assert (update.before["operating_revenue"], update.after["operating_revenue"]) == (
        "2001",
        "2500",
    )
    assert update.after["tax_paid"] == "88.25"  # what the file does not set stays as stored
    created = changes[0]
    assert created.after == dict.fromkeys(EnterpriseYearsImporter.fields) | {
        "operating_revenue": "123.4568",
        "avg_employees": 12,
    }
    assert created.object_repr == "东城纺织有限公司 2023"
    assert (created.province_code, created.region_code) == ("990000", "990102")

    # When the batch is undone, then the inserts are gone and the update is put back
    undo_batch(batch, acting_user=zone_user)
    assert not stored.filter(year__lt=2024).exists()
    assert stored.get(enterprise__uscc=usccs[0], year=2024).operating_revenue == Decimal("2001")
