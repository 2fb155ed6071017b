"""Every URL the resolver knows × both roles × objects inside and outside scope.

A zone user of the east zone must get 404 for the west zone and its enterprises and never see their
identifiers; a province analyst sees everything in the province. Every view must go through
``restrict()``: the test counts the calls and fails on a view that skips it.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from kaifaqu.access import scope
from kaifaqu.jobs import models as job_models
from kaifaqu.jobs.actions import create_job

pytestmark = pytest.mark.django_db

# Not walked here: Django's admin and auth views, and the REST API, whose own matrix is in
# src/kaifaqu/api/tests/.
SKIPPED_PREFIXES = ("admin/", "accounts/", "api/")

# What a URL's <pk> names: the object key in the `objects` fixture below.
PK_OBJECTS = {
    "zones:zone": "zone",
    "enterprises:enterprise": "enterprise",
    "enterprises:enterprise_edit": "enterprise",
    "jobs:job": "job",
}

# Views that answer POST only (a GET is 405 before any data is read).
POST_ONLY = {"zones:refresh_summaries"}


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}"


def our_urls() -> list[tuple[str, str]]:
    return [
        (r, n) for r, n in walk(get_resolver().url_patterns) if not r.startswith(SKIPPED_PREFIXES)
    ]


@pytest.fixture
def objects(province, province_analyst, zone_user):
    east, west = province["zones"]["east"], province["zones"]["west"]
    east_enterprise = province["enterprises"]["东城纺织有限公司"]
    west_enterprise = province["enterprises"]["西城化工有限公司"]
    own_job, _ = create_job("zone_summaries", {}, acting_user=zone_user)
    foreign_job, _ = create_job("zone_summaries", {}, acting_user=province_analyst)
    return {
        "inside": {"zone": east, "enterprise": east_enterprise, "job": own_job},
        "outside": {"zone": west, "enterprise": west_enterprise, "job": foreign_job},
        "foreign_identifiers": [
            west.name,
            west.code,
            west_enterprise.name,
            west_enterprise.uscc,
            str(foreign_job.pk),
        ],
    }


@pytest.fixture
def restrict_calls(monkeypatch):
    calls = []
    for queryset_class in (scope.RestrictedQuerySet, job_models.JobQuerySet):
        original = queryset_class.restrict

        def counting(self, user, action="view", _original=original):
            calls.append(self.model.__name__)
            return _original(self, user, action)

        monkeypatch.setattr(queryset_class, "restrict", counting)
    return calls


def url_for(route: str, name: str, obj: Any) -> str:
    if "<" not in route:
        return "/" + route
    assert name in PK_OBJECTS, f"add {name} to PK_OBJECTS so the scope test covers it"
    return "/" + route.replace("<int:pk>", str(obj.pk)).replace("<uuid:pk>", str(obj.pk))


def test_every_url_is_known_to_this_test():
    names = {name for route, name in our_urls() if "<" in route}
    assert names == set(PK_OBJECTS)


def test_zone_user_sees_inside_and_gets_404_outside(zone_client, objects, restrict_calls):
    for route, name in our_urls():
        method = zone_client.post if name in POST_ONLY else zone_client.get
        inside_key = PK_OBJECTS.get(name)
        inside = objects["inside"][inside_key] if inside_key else None
        restrict_calls.clear()
        response = method(url_for(route, name, inside))
        assert response.status_code in (200, 302), (name, response.status_code)
        assert restrict_calls, f"{name} does not go through restrict()"
        body = response.content.decode()
        for identifier in objects["foreign_identifiers"]:
            assert identifier not in body, (name, identifier)
        if inside_key:
            outside = objects["outside"][inside_key]
            denied = method(url_for(route, name, outside))
            assert denied.status_code == 404, name
            for identifier in objects["foreign_identifiers"]:
                assert identifier not in denied.content.decode(), (name, identifier)


def test_province_analyst_sees_every_object_of_the_province(
    analyst_client, objects, restrict_calls
):
    for route, name in our_urls():
        method = analyst_client.post if name in POST_ONLY else analyst_client.get
        key = PK_OBJECTS.get(name)
        target = objects["outside"][key] if key else None
        if key == "job":
            target = job_models.Job.objects.get(user__username="analyst")
        restrict_calls.clear()
        response = method(url_for(route, name, target))
        assert response.status_code in (200, 302), (name, response.status_code)
        assert restrict_calls, f"{name} does not go through restrict()"


def test_anonymous_user_is_sent_to_login_everywhere(client, objects):
    for route, name in our_urls():
        key = PK_OBJECTS.get(name)
        response = client.get(url_for(route, name, objects["inside"][key] if key else None))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name
