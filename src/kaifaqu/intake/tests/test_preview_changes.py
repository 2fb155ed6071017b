"""The preview before a commit: which objects would change and which fields, from the plan the
commit writes; the first rows on the page, every change in the download; nothing written."""

import io

import openpyxl
import pytest
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.intake import preview
from kaifaqu.intake.actions import create_batch, validate_batch
from kaifaqu.intake.tests.test_import import run, workbook, years_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def validated(usccs, zone_user):
    """2023 imported, then a file raising 东城纺织's tax and adding its 2026, validated only."""
    run(years_file(usccs), zone_user)
    header = ["统一社会信用代码", "年度", "纳税总额(元)"]
    rows = [
        [usccs["东城纺织有限公司"], 2023, "1600000"],
        [usccs["东城化工股份有限公司"], 2023, "30000"],
        [usccs["东城纺织有限公司"], 2026, "1700000"],
    ]
    batch = create_batch(
        workbook(header, rows), "年报.xlsx", "enterprise-years", acting_user=zone_user
    )
    validate_batch(batch)
    assert (batch.counts["insert"], batch.counts["update"], batch.counts["unchanged"]) == (1, 1, 1)
    return batch


def test_the_page_lists_each_changed_object_and_its_fields(zone_client, validated):
    logged = ObjectChange.objects.count()
    page = zone_client.get(reverse("intake:batch", args=[validated.pk])).content.decode()
    url = reverse("intake:changes", args=[validated.pk])
    assert f'href="{url}" data-testid="changes-link"' in page

    response = zone_client.get(url)

    rows = [
        (r.action, {d.field: (d.before, d.after) for d in r.differences})
        for r in response.context["rows"]
    ]
    assert rows == [
        ("新增", {"实缴税收(万元)": ("", "170")}),
        ("更新", {"实缴税收(万元)": ("150", "160")}),
    ]
    assert [r.name for r in response.context["rows"]] == [
        f"东城纺织有限公司 {year}" for year in (2026, 2023)
    ]
    assert ObjectChange.objects.count() == logged  # a preview writes nothing


def test_past_the_first_rows_the_page_says_so_and_the_download_holds_all(
    zone_client, validated, monkeypatch
):
    monkeypatch.setattr("kaifaqu.intake.views.PREVIEW_ROWS", 1)
    page = zone_client.get(reverse("intake:changes", args=[validated.pk]))
    assert len(page.context["rows"]) == 1
    assert "共 2 个对象有变化,下表列出前 1 个" in page.content.decode()

    export = zone_client.get(reverse("intake:changes_export", args=[validated.pk]))

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0] == tuple(preview.CHANGE_COLUMNS)
    assert [line[1:] for line in lines[1:]] == [
        ("新增", "实缴税收(万元)", "", "170"),
        ("更新", "实缴税收(万元)", "150", "160"),
    ]


def test_a_batch_whose_file_was_cleaned_up_says_so(zone_client, validated):
    validated.file.delete(save=False)
    page = zone_client.get(reverse("intake:changes", args=[validated.pk]))
    assert 'data-testid="file-gone"' in page.content.decode()
    assert zone_client.get(reverse("intake:changes_export", args=[validated.pk])).status_code == 404


def test_a_committed_batch_has_no_preview(zone_client, usccs, zone_user):
    batch = run(years_file(usccs), zone_user)
    assert zone_client.get(reverse("intake:changes", args=[batch.pk])).status_code == 404
