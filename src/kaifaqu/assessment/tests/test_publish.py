"""A 管委会 manager publishes the ranking of its own zones' run, and no run with other zones."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import make_user
from kaifaqu.assessment.actions import publish_ranking, start_run
from kaifaqu.assessment.models import AssessmentRun
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.publications.models import Publication
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(zones: dict[str, Zone]) -> Any:
    """The manager of the 管委会 that runs both eastern zones (one office, two parks)."""
    return make_user("east_manager", "zone_manager", zones=(zones["east"], zones["east_htz"]))


def provincial_run(zones: dict[str, Zone], user: Any) -> AssessmentRun:
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    return finish(start_run(version, year=2025, replications=0, acting_user=user))


def test_a_zone_manager_publishes_its_own_zones_ranking(client, zones, manager, province):
    # given the manager's run over its two zones
    run = provincial_run(zones, manager)
    assert sorted(run.results.values_list("zone__code", flat=True)) == ["Z001", "Z002"]
    # when it publishes the ranking from the run page
    client.force_login(manager)
    response = client.post(reverse("assessment:publish", args=[run.pk]))
    # then the ranking is out, authored by its zone office, to its zones' divisions
    publication = Publication.objects.get()
    assert response.url == publication.get_absolute_url()
    run.refresh_from_db()
    assert run.publication == publication
    assert (publication.state, publication.author_zone, publication.author_region) == (
        "published",
        zones["east"],
        None,
    )
    assert [(row["published_rank"], row["zone"]) for row in publication.rows] == [
        (1, "东城高新技术产业开发区"),
        (2, "东城经济技术开发区"),
    ]
    assert sorted(publication.audience_regions.values_list("code", flat=True)) == [
        "990100",
        "990102",
    ]
    # and the change log holds its creation and its publishing
    logged = ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Publication), object_id=str(publication.pk)
    )
    assert sorted(logged.values_list("action", flat=True)) == ["create", "update"]
    # and the east zone's staff read it; the west zone's office does not
    client.force_login(make_user("east_staff", "zone_analyst", zones=(zones["east"],)))
    assert client.get(publication.get_absolute_url()).status_code == 200
    client.force_login(make_user("west_staff", "zone_analyst", zones=(zones["west"],)))
    assert client.get(publication.get_absolute_url()).status_code == 404


def test_a_zone_manager_may_not_publish_a_run_with_other_zones(zones, manager, province_analyst):
    # given the province's run over all three zones, the west one outside the manager's scope
    run = provincial_run(zones, province_analyst)
    before = ObjectChange.objects.count()
    # when the manager tries to publish it
    with pytest.raises(PermissionDenied):
        publish_ranking(run, acting_user=manager)
    # then nothing changed
    run.refresh_from_db()
    assert (run.state, run.publication) == ("done", None)
    assert not Publication.objects.exists()
    assert ObjectChange.objects.count() == before
