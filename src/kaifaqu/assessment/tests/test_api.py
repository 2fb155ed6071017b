"""The assessment endpoints of the API: starting a run and following it, frameworks, rankings,
a zone's profile and report, and the run's files."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from rest_framework.test import APIClient

from conftest import make_user
from kaifaqu.assessment.actions import publish_ranking, start_run
from kaifaqu.assessment.models import AssessmentRun, ZoneResult
from kaifaqu.assessment.profile import build_profile
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job

pytestmark = pytest.mark.django_db


def client_of(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_a_started_run_comes_back_with_its_queued_job_which_it_then_follows(
    zones, province_analyst
):
    seed_provincial(zones, 2025)
    framework = preset("provincial_six")
    client = client_of(province_analyst)

    started = client.post(
        "/api/v1/assessment-runs/", {"framework": framework.pk, "year": 2025}, format="json"
    )

    run = AssessmentRun.objects.get()
    assert started.status_code == 201
    body = started.json()
    assert (body["id"], body["framework"], body["version"], body["state"]) == (
        run.pk,
        framework.pk,
        framework.latest().pk,
        "queued",
    )
    assert (body["job"]["id"], body["job"]["state"]) == (str(run.job_id), "queued")
    assert (run.created_by, run.year, run.zone_kind) == (province_analyst, 2025, "")

    finish(run)
    followed = client.get(f"/api/v1/assessment-runs/{run.pk}/").json()

    assert (followed["state"], followed["job"]["state"]) == ("done", "succeeded")


def test_all_kinds_and_the_framework_s_own_kind(zones, province_analyst):
    framework = preset("mofcom_2021")
    client = client_of(province_analyst)

    def start(kind):
        payload = {"framework": framework.pk, "year": 2025, "zone_kind": kind}
        return client.post("/api/v1/assessment-runs/", payload, format="json").json()["id"]

    kinds = [AssessmentRun.objects.get(pk=start(k)).zone_kind for k in (None, "all")]

    assert kinds == ["national_etdz", ""]


def test_a_framework_reads_with_its_versions_newest_first(province_analyst):
    framework = preset("provincial_six")

    body = client_of(province_analyst).get(f"/api/v1/assessment-frameworks/{framework.pk}/").json()

    assert (body["code"], body["owner"]) == ("provincial_six", None)
    assert [v["number"] for v in body["versions"]] == list(
        framework.versions.order_by("-number").values_list("number", flat=True)
    )
    assert body["versions"][0]["document"] == framework.latest().document


def test_a_ranking_shows_a_zone_its_own_row_until_it_is_published_to_it(zones, zone_user):
    seed_provincial(zones, 2025)
    manager = make_user("manager", "province_manager", region=zones["east"].region.parent.parent)
    run = finish(
        start_run(
            preset("provincial_six").latest(), year=2025, replications=50, acting_user=manager
        )
    )
    url = f"/api/v1/assessment-rankings/?run={run.pk}"
    client = client_of(zone_user)

    before = client.get(url).json()["results"]
    publish_ranking(run, acting_user=manager)
    after = client.get(url).json()["results"]

    own = ZoneResult.objects.get(run=run, zone=zones["east"])
    assert [(row["zone"], row["own"]) for row in before] == [(own.zone_id, True)]
    assert (before[0]["published_rank"], before[0]["total"]) == (
        own.published_rank,
        str(own.total),
    )
    assert (before[0]["interval_low"], before[0]["interval_high"]) == own.published_interval
    assert sorted((row["zone"], row["own"]) for row in after) == sorted(
        (zone.pk, zone == zones["east"]) for zone in zones.values()
    )


@pytest.fixture
def ranked(zones, province_analyst):
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    return finish(start_run(version, year=2025, replications=50, acting_user=province_analyst))


def test_a_zone_reads_its_own_profile_and_not_that_of_a_zone_in_a_ranking_published_to_it(
    zones, zone_user, ranked
):
    manager = make_user("manager", "province_manager", region=zones["east"].region.parent.parent)
    publish_ranking(ranked, acting_user=manager)
    own = ZoneResult.objects.get(run=ranked, zone=zones["east"])
    other = ZoneResult.objects.get(run=ranked, zone=zones["west"])
    client = client_of(zone_user)

    body = client.get(f"/api/v1/assessment-rankings/{own.pk}/profile/").json()
    expected = build_profile(own, zone_user)

    assert (body["result"]["zone"], body["rank"], body["group_size"]) == (
        own.zone_id,
        own.rank,
        expected.group_size,
    )
    assert [(d["code"], d["score"], d["group_mean"]) for d in body["dimensions"]] == [
        (d["code"], d["score"], d["group_mean"]) for d in expected.dimensions
    ]
    assert [h["year"] for h in body["history"]] == [2025]
    assert [s["code"] for s in body["strengths"]] == [s["code"] for s in expected.strengths]
    assert client.get(f"/api/v1/assessment-rankings/{other.pk}/").status_code == 200
    assert client.get(f"/api/v1/assessment-rankings/{other.pk}/profile/").status_code == 404
    assert client.post(f"/api/v1/assessment-rankings/{other.pk}/report/").status_code == 404


def test_a_report_is_started_followed_through_its_job_and_downloaded(
    zones, province_analyst, ranked
):
    result = ZoneResult.objects.get(run=ranked, zone=zones["east_htz"])
    client = client_of(province_analyst)
    url = f"/api/v1/assessment-rankings/{result.pk}/report/"

    missing = client.get(f"{url}pdf/")
    started = client.post(url)
    job = Job.objects.get(kind="assessment_report")
    run_job(job)
    followed = client.get(f"/api/v1/jobs/{job.pk}/").json()
    pdf, docx = client.get(f"{url}pdf/"), client.get(f"{url}docx/")

    assert (missing.status_code, missing.json()["error"]["message"]) == (
        404,
        "该开发区的诊断报告尚未生成",
    )
    assert (started.status_code, started.json()["id"]) == (202, str(job.pk))
    assert job.params == {"run": ranked.pk, "zone": zones["east_htz"].pk}
    assert followed["state"] == "succeeded"
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    paragraphs = Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs
    assert "综合得分 65.00 分" in "\n".join(p.text for p in paragraphs)
    assert docx["Content-Disposition"].endswith(
        f"''2025-{zones['east_htz'].code}-%E8%AF%8A%E6%96%AD%E6%8A%A5%E5%91%8A.docx"
    )


def test_the_ranking_and_units_files_hold_the_rows_the_caller_reads(zones, zone_user, ranked):
    client = client_of(zone_user)
    own = ZoneResult.objects.get(run=ranked, zone=zones["east"])

    ranking = client.get(f"/api/v1/assessment-runs/{ranked.pk}/ranking-xlsx/")
    units = client.get(f"/api/v1/assessment-runs/{ranked.pk}/units-csv/")

    sheet = load_workbook(io.BytesIO(b"".join(ranking.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[3] for row in rows[1:]] == [zones["east"].code]
    assert rows[1][0] == own.published_rank
    lines = units.content.decode().splitlines()
    assert [line.split(",")[0] for line in lines] == ["uCode", zones["east"].code]
