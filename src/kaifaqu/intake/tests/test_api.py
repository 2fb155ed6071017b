"""``/api/v1/import-batches/``: the caller's imports with their counts and problems summed up;
an import uploaded, previewed, committed and undone through the API, the jobs followed."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from rest_framework.test import APIClient

from kaifaqu.api.tests.helpers import refused_batch
from kaifaqu.core.downloads import XLSX
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake.actions import NOT_COMMITTED, NOT_VALIDATED, create_batch, validate_batch
from kaifaqu.intake.models import ImportBatch
from kaifaqu.intake.tests.test_import import years_file
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_a_batch_shows_its_counts_and_its_problems_summed_up(province_analyst):
    client = APIClient()
    client.force_login(province_analyst)
    batch = refused_batch(province_analyst)

    body = client.get(f"/api/v1/import-batches/{batch.pk}/").json()

    assert (body["state"], body["counts"]["invalid_rows"]) == ("refused", 2)
    assert body["problems"] == {
        "errors": 2,
        "warnings": 1,
        "by_code": {"uscc_invalid": 2, "name_changed": 1},
        "report": f"http://testserver/api/v1/import-batches/{batch.pk}/problems/",
    }


def run_jobs(kind):
    """Run the queued jobs of ``kind`` as the worker would, in order."""
    for job in Job.objects.filter(kind=kind, state="queued").order_by("created"):
        run_job(job)


def test_an_import_goes_through_the_api_upload_preview_commit_and_undo(usccs, zone_user):
    client = APIClient()
    client.force_login(zone_user)
    upload = SimpleUploadedFile("年报.xlsx", years_file(usccs, tax_east="2000000"))

    created = client.post(
        "/api/v1/import-batches/",
        {"kind": "enterprise-years", "file": upload, "policy": "reject"},
        format="multipart",
    )
    assert (created.status_code, created.json()["state"]) == (201, "uploaded")
    batch = ImportBatch.objects.get(pk=created.json()["id"])
    run_jobs("import_validate")

    preview = client.get(f"/api/v1/import-batches/{batch.pk}/preview/").json()
    assert (preview["state"], preview["problems"], preview["pages"]) == ("validated", [], 1)
    assert (preview["counts"]["insert"], preview["counts"]["update"]) == (2, 0)

    commit = client.post(
        f"/api/v1/import-batches/{batch.pk}/commit/", {"policy": "reject"}, format="json"
    )
    assert (commit.status_code, commit.json()["kind"]) == (202, "import_commit")
    run_jobs("import_commit")
    east = EnterpriseYear.objects.get(enterprise__uscc=usccs["东城纺织有限公司"], year=2023)
    assert east.tax_paid == Decimal("200")
    followed = client.get(f"/api/v1/jobs/{commit.json()['id']}/").json()
    assert followed["state"] == "succeeded"

    undo = client.post(f"/api/v1/import-batches/{batch.pk}/undo/")
    assert (undo.status_code, undo.json()["kind"]) == (202, "import_undo")
    run_jobs("import_undo")
    assert ImportBatch.objects.get(pk=batch.pk).state == "undone"
    assert not EnterpriseYear.objects.filter(year=2023).exists()


def test_commit_and_undo_out_of_turn_are_refused_and_queue_nothing(usccs, zone_user):
    client = APIClient()
    client.force_login(zone_user)
    batch = create_batch(years_file(usccs), "年报.xlsx", "enterprise-years", acting_user=zone_user)

    commit = client.post(
        f"/api/v1/import-batches/{batch.pk}/commit/", {"policy": "reject"}, format="json"
    )
    undo = client.post(f"/api/v1/import-batches/{batch.pk}/undo/")

    assert (commit.status_code, commit.json()["error"]["fields"]) == (
        400,
        {"non_field_errors": [{"code": "invalid", "message": NOT_VALIDATED}]},
    )
    assert (undo.status_code, undo.json()["error"]["fields"]["non_field_errors"][0]["message"]) == (
        400,
        NOT_COMMITTED,
    )
    assert not Job.objects.exists()


def test_an_upload_past_the_limit_is_refused_with_413_and_stores_nothing(
    usccs, zone_user, settings
):
    settings.KAIFAQU_UPLOAD_MAX_MB = 0
    client = APIClient()
    client.force_login(zone_user)
    upload = SimpleUploadedFile("年报.xlsx", years_file(usccs))

    response = client.post(
        "/api/v1/import-batches/", {"kind": "enterprise-years", "file": upload}, format="multipart"
    )

    assert (response.status_code, response.json()["error"]["code"]) == (413, "too_large")
    assert not ImportBatch.objects.exists()


def test_the_problem_report_downloads_through_the_api(usccs, zone_user):
    client = APIClient()
    client.force_login(zone_user)
    batch = create_batch(
        b"not a workbook", "坏文件.xlsx", "enterprise-years", acting_user=zone_user
    )
    validate_batch(batch)

    response = client.get(f"/api/v1/import-batches/{batch.pk}/problems/")

    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content))["问题清单"]
    assert [cell.value for cell in sheet[1]][:2] == ["工作表", "行号"]
    assert sheet.max_row == 1 + len(batch.problems)
