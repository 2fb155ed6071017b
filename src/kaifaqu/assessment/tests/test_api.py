"""The assessment endpoints of the API: starting a run and following it, frameworks, rankings."""

import pytest
from rest_framework.test import APIClient

from conftest import make_user
from kaifaqu.assessment.actions import publish_ranking, start_run
from kaifaqu.assessment.models import AssessmentRun, ZoneResult
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial

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
