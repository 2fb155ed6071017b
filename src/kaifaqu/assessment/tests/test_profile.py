"""The zone profile's pieces from other modules: the 亩均 grade mix of the zone."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.urls import reverse

from kaifaqu.assessment.actions import start_run
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Scheme
from kaifaqu.mujun.scheme import preset_text
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(zones: dict[str, Zone], province_analyst: Any) -> Any:
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    return finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))


def mujun_run(province: dict[str, Any], user: Any, *, year: int, state: str, day: int) -> Any:
    scheme = Scheme.objects.get_or_create(
        name="黄岩", preset="huangyan_2022", region=province["province"],
        defaults={"document": preset_text("huangyan_2022")},
    )[0]  # fmt: skip
    published = datetime(year + 1, 3, day, tzinfo=UTC) if state == "published" else None
    return EvaluationRun.objects.create(
        scheme=scheme, year=year, region=province["province"], state=state,
        published=published, created_by=user,
    )  # fmt: skip


def graded(run: Any, zone: Zone, grades: list[str]) -> None:
    """One result per grade ("" = not evaluated), each for a new enterprise of ``zone``."""
    for grade in grades:
        i = Enterprise.objects.count()
        first17 = f"91990102MB{i:07d}"
        enterprise = Enterprise.objects.create(
            uscc=first17 + uscc_check_character(first17), name=f"企业{i}", zone=zone,
            region=zone.region, industry_id=None, status="operating",
        )  # fmt: skip
        EvaluationResult.objects.create(
            run=run, enterprise=enterprise, zone=zone, province_code=zone.province_code,
            status="graded" if grade else "not_evaluated", grade=grade, managed_grade=grade,
        )  # fmt: skip


def test_profile_shows_the_grade_mix_of_the_latest_published_mujun_run(
    client, zone_user, province, province_analyst, zones, run
):
    # given an earlier and a later published 亩均 run of 2025, a newer draft, and a 2024 run
    earlier = mujun_run(province, province_analyst, year=2025, state="published", day=1)
    graded(earlier, zones["east"], ["A", "A", "A"])
    latest = mujun_run(province, province_analyst, year=2025, state="published", day=9)
    graded(latest, zones["east"], ["A", "B", "B", "D", ""])
    graded(latest, zones["west"], ["A", "C"])
    draft = mujun_run(province, province_analyst, year=2025, state="draft", day=20)
    graded(draft, zones["east"], ["D"])
    other_year = mujun_run(province, province_analyst, year=2024, state="published", day=30)
    graded(other_year, zones["east"], ["C"])
    # when the east zone's user opens its profile
    client.force_login(zone_user)
    page = client.get(reverse("assessment:profile", args=[run.pk, zones["east"].pk]))
    # then the mix counts the latest published run's managed grades of this zone only
    mix = page.context["p"].grade_mix
    assert mix.run == latest
    assert mix.counts == [("A", 1), ("B", 2), ("C", 0), ("D", 1)]
    link = reverse("mujun:zone_grades", args=[latest.pk, zones["east"].pk])
    assert f'href="{link}"' in page.content.decode()
    assert client.get(link).status_code == 200


def test_profile_without_a_published_mujun_run_has_no_grade_mix(
    analyst_client, province, province_analyst, zones, run
):
    draft = mujun_run(province, province_analyst, year=2025, state="draft", day=1)
    graded(draft, zones["east"], ["A"])
    page = analyst_client.get(reverse("assessment:profile", args=[run.pk, zones["east"].pk]))
    assert page.context["p"].grade_mix is None
    assert 'data-testid="grade-mix"' not in page.content.decode()


def test_a_city_bureau_gets_no_grade_mix_from_a_province_run_it_cannot_open(
    client, province, province_analyst, zones, run
):
    from conftest import make_user

    # given a published province-wide run and an analyst of the east city
    city = province["province"].children.get(code="990100")
    city_analyst = make_user("city", "city_analyst", region=city)
    published = mujun_run(province, province_analyst, year=2025, state="published", day=1)
    graded(published, zones["east"], ["A"])
    client.force_login(city_analyst)
    # then its east zone's profile shows no mix (the run's page would be a 404 for it)
    page = client.get(reverse("assessment:profile", args=[run.pk, zones["east"].pk]))
    assert page.status_code == 200
    assert page.context["p"].grade_mix is None
