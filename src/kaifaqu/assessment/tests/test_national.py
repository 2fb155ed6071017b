"""A national run (zones of several provinces): its ranking is seen in full by every office of
those provinces once published; profiles, reports and indicator tables stay within scope."""

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from kaifaqu.assessment.actions import publish_ranking, start_run
from kaifaqu.assessment.models import AssessmentRun
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Region
from kaifaqu.jobs.models import Job
from kaifaqu.publications.models import Publication
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

FAR_ZONE = "远方开发区0"


@pytest.fixture
def national(province: dict[str, Any]) -> dict[str, Any]:
    """The demo province's three zones and three in 远方省, ranked together by a superuser."""
    zones = province["zones"]
    far = Region.objects.create(code="880000", name="远方省", level="province")
    far_zones = {
        key: Zone.objects.create(code=f"X{i}", name=f"远方开发区{i}", kind="provincial_edz",
                                 region=far, comparison_group="南")
        for i, key in enumerate(zones)
    }  # fmt: skip
    seed_provincial(zones, 2025)
    seed_provincial(far_zones, 2025)
    mofcom = get_user_model().objects.create_superuser("mofcom", password="pass-for-tests-2026")
    version = preset("provincial_six").latest()
    run = finish(start_run(version, year=2025, zone_kind="", replications=0, acting_user=mofcom))
    return {"run": run, "far": far, "far_zones": far_zones, "mofcom": mofcom}


def ranked_codes(client: Any, run: AssessmentRun) -> list[str]:
    page = client.get(reverse("assessment:run", args=[run.pk]))
    return sorted(row["r"].zone.code for row in page.context["rows"])


def test_before_publication_a_province_sees_its_own_rows_only(analyst_client, national):
    assert national["run"].level == "national"
    assert ranked_codes(analyst_client, national["run"]) == ["Z001", "Z002", "Z003"]


def test_a_province_manager_may_not_publish_the_national_ranking(province, national):
    manager = make_user("manager", "province_manager", region=province["province"])
    before = ObjectChange.objects.count()
    with pytest.raises(PermissionDenied):
        publish_ranking(national["run"], acting_user=manager)
    national["run"].refresh_from_db()
    assert national["run"].publication is None
    assert not Publication.objects.exists()
    assert ObjectChange.objects.count() == before


def test_published_national_ranking_rows_of_every_province(client, province_analyst, national):
    # given the national ranking published by the national office
    run = national["run"]
    publication = publish_ranking(run, acting_user=national["mofcom"])
    assert sorted(publication.audience_regions.values_list("code", flat=True)) == [
        "880000",
        "990000",
    ]
    client.force_login(province_analyst)
    # then the ranking shows all six zones with their published ranks (twins tie)
    page = client.get(reverse("assessment:run", args=[run.pk]))
    rows = {row["r"].zone.code: row["r"] for row in page.context["rows"]}
    assert {c: (r.published_rank, str(r.total)) for c, r in rows.items()} == {
        "Z002": (1, "65.00"), "X1": (1, "65.00"), "Z003": (3, "48.75"), "X2": (3, "48.75"),
        "Z001": (5, "47.50"), "X0": (5, "47.50"),
    }  # fmt: skip
    # and only its own zones link to a profile
    text = page.content.decode()
    far = national["far_zones"]["east"]
    assert FAR_ZONE in text
    assert reverse("assessment:profile", args=[run.pk, far.pk]) not in text
    assert reverse("assessment:profile", args=[run.pk, rows["Z001"].zone_id]) in text
    # and the xlsx export holds the six ranking rows
    export = client.get(reverse("assessment:run_export", args=[run.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert sorted(r[3] for r in list(sheet.iter_rows(values_only=True))[1:]) == [
        "X0", "X1", "X2", "Z001", "Z002", "Z003",
    ]  # fmt: skip


def test_another_provinces_profile_report_and_values_stay_hidden(
    client, province_analyst, national
):
    run = national["run"]
    publish_ranking(run, acting_user=national["mofcom"])
    far = national["far_zones"]["east"]
    client.force_login(province_analyst)
    before = ObjectChange.objects.count()
    # the far zone's profile and report request are 404, and nothing is queued
    assert client.get(reverse("assessment:profile", args=[run.pk, far.pk])).status_code == 404
    assert client.post(reverse("assessment:profile", args=[run.pk, far.pk])).status_code == 404
    assert not Job.objects.filter(kind="assessment_report").exists()
    assert ObjectChange.objects.count() == before
    # the indicator table (the values behind the scores) holds the own province's zones only
    units = client.get(reverse("assessment:units", args=[run.pk])).content.decode()
    assert [row[0] for row in csv.reader(io.StringIO(units))][1:] == ["Z001", "Z002", "Z003"]
    # the status list names no far zone
    status = client.get(reverse("assessment:status", args=[run.pk])).content.decode()
    assert FAR_ZONE not in status


def test_a_zone_user_sees_the_published_national_ranking_not_other_profiles(
    client, zone_user, national, zones
):
    run = national["run"]
    publish_ranking(run, acting_user=national["mofcom"])
    client.force_login(zone_user)
    assert len(ranked_codes(client, run)) == 6
    west = client.get(reverse("assessment:profile", args=[run.pk, zones["west"].pk]))
    assert west.status_code == 404


def test_a_province_outside_the_ranking_does_not_see_it(client, national):
    elsewhere = Region.objects.create(code="770000", name="别处省", level="province")
    client.force_login(make_user("else", "province_analyst", region=elsewhere))
    publish_ranking(national["run"], acting_user=national["mofcom"])
    assert client.get(reverse("assessment:run", args=[national["run"].pk])).status_code == 404
