"""A list longer than KAIFAQU_EXPORT_ROWS_INLINE is exported by a background job: the request
only queues it, and the job's file is the very file the request would have sent."""

import io

import openpyxl
import pytest

from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db

URL = "/intake/export/enterprise-years/?year=2025&format=csv"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_long_list_is_written_by_a_job_into_the_same_file(settings, analyst_client):
    settings.KAIFAQU_EXPORT_ROWS_INLINE = 5
    inline = b"".join(analyst_client.get(URL).streaming_content)
    settings.KAIFAQU_EXPORT_ROWS_INLINE = 4

    queued = analyst_client.get(URL)
    job = Job.objects.get(kind="list_export")
    run_job(job)
    job.refresh_from_db()
    page = analyst_client.get(f"/jobs/{job.pk}/").content.decode()
    download = analyst_client.get(f"/jobs/{job.pk}/file/")

    assert queued.status_code == 302
    assert queued["Location"] == f"/jobs/{job.pk}/"
    assert job.params == {"kind": "enterprise-years", "query": "year=2025&format=csv"}
    assert (job.state, job.done, job.total) == ("succeeded", 5, 5)
    assert job.result == {"行数": 5, "文件": "企业年度数据.csv"}
    assert f'href="/jobs/{job.pk}/file/"' in page
    assert download.status_code == 200
    assert download["Content-Disposition"].endswith(
        "filename*=UTF-8''%E4%BC%81%E4%B8%9A%E5%B9%B4%E5%BA%A6%E6%95%B0%E6%8D%AE.csv"
    )
    assert b"".join(download.streaming_content) == inline
    assert inline.count(b"\n") == 6  # the header and five enterprises


def test_the_job_exports_only_its_users_scope_and_only_its_user_downloads_it(
    settings, client, zone_user, province_analyst
):
    settings.KAIFAQU_EXPORT_ROWS_INLINE = 0
    client.force_login(zone_user)
    client.get("/intake/export/enterprises/")
    job = Job.objects.get(kind="list_export")
    run_job(job)
    own = client.get(f"/jobs/{job.pk}/file/")
    client.force_login(province_analyst)
    other = client.get(f"/jobs/{job.pk}/file/")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(own.streaming_content))).active
    names = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == ["东城化工股份有限公司", "东城纺织有限公司"]
    assert other.status_code == 404


def test_a_short_list_is_still_sent_in_the_request(settings, analyst_client):
    settings.KAIFAQU_EXPORT_ROWS_INLINE = 5

    response = analyst_client.get(URL)

    assert response.status_code == 200
    assert not Job.objects.filter(kind="list_export").exists()
