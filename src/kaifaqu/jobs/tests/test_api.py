"""``/api/v1/jobs/``: the caller's jobs with their progress, result and file."""

import pytest
from rest_framework.test import APIClient

from kaifaqu.api.tests.helpers import finished_job
from kaifaqu.jobs.actions import create_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(province_analyst):
    client = APIClient()
    client.force_login(province_analyst)
    return client


def test_a_finished_job_shows_its_result_and_links_its_file(
    api_client, province_analyst, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = finished_job(province_analyst)

    body = api_client.get(f"/api/v1/jobs/{job.pk}/").json()

    assert {key: body[key] for key in ("kind", "label", "state", "percent", "result")} == {
        "kind": "zone_summaries",
        "label": "开发区年度汇总表更新",
        "state": "succeeded",
        "percent": 100,
        "result": {"rows": 3},
    }
    assert body["file"] == f"http://testserver/jobs/{job.pk}/file/"
    assert api_client.get(body["file"]).getvalue() == b"a,b\n"


def test_the_list_is_newest_first_and_a_queued_job_has_no_file(api_client, province_analyst):
    older, _ = create_job("zone_summaries", {"year": 2024}, acting_user=province_analyst)
    newer, _ = create_job("zone_summaries", {"year": 2025}, acting_user=province_analyst)

    rows = api_client.get("/api/v1/jobs/?state=queued").json()["results"]

    assert [(row["id"], row["file"], row["result"]) for row in rows] == [
        (str(newer.pk), None, None),
        (str(older.pk), None, None),
    ]
