"""Token authentication for systems, sessions for browsers, and the rate limits."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_a_system_reads_with_its_token(token_client, two_provinces):
    response = token_client.get("/api/v1/enterprises/")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["南湖新材料有限公司"]


def test_a_system_writes_with_its_token_and_the_log_names_it(token_client, two_provinces):
    from kaifaqu.audit.models import ObjectChange

    enterprise = two_provinces["enterprises"]["south"]

    response = token_client.patch(
        f"/api/v1/enterprises/{enterprise.pk}/", {"status": "moved_out"}, format="json"
    )

    assert response.status_code == 200
    row = ObjectChange.objects.get()
    assert (row.username, row.role, row.channel, row.after["status"]) == (
        "south_exchange",
        "province_analyst",
        "api",
        "moved_out",
    )


def test_a_wrong_token_is_401(two_provinces):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "f" * 40)

    response = client.get("/api/v1/zones/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_the_token_of_a_deactivated_user_is_401(token_client, system_user):
    system_user.is_active = False
    system_user.save()

    response = token_client.get("/api/v1/zones/")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_browser_session_reads_too(api_zone_client, province):
    response = api_zone_client.get("/api/v1/zones/")

    assert response.status_code == 200
    assert [row["code"] for row in response.json()["results"]] == ["Z001"]


def test_the_api_is_not_redirected_to_the_login_page(client):
    for url in ("/api/v1/", "/api/v1/zones/", "/api/v1/zones/1/", "/api/schema/"):
        response = client.get(url)
        assert response.status_code == 401, url


def test_the_docs_page_sends_a_visitor_to_log_in_and_shows_a_user_swagger(client, zone_user):
    anonymous = client.get("/api/docs/")
    client.force_login(zone_user)
    logged_in = client.get("/api/docs/")

    assert anonymous.status_code == 302
    assert anonymous["Location"] == "/accounts/login/?next=/api/docs/"
    assert logged_in.status_code == 200
    page = logged_in.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_user_over_the_rate_gets_429_with_retry_after(settings, token_client, two_provinces):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }

    statuses = [token_client.get("/api/v1/zones/").status_code for _ in range(4)]
    throttled = token_client.get("/api/v1/zones/")

    assert statuses == [200, 200, 200, 429]
    assert throttled.json()["error"]["code"] == "throttled"
    assert 0 < int(throttled["Retry-After"]) <= 60


def test_anonymous_probing_is_rate_limited_before_it_is_refused(settings, client):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/min", "user": "3/min"},
    }

    statuses = [client.get("/api/v1/zones/").status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_rates_default_from_the_environment_settings():
    from kaifaqu.api.conf import REST_FRAMEWORK

    assert REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"anon": "30/min", "user": "600/min"}


def test_a_malformed_rate_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from kaifaqu.api import conf

    monkeypatch.setenv("KAIFAQU_API_RATE_USER", "lots")

    with pytest.raises(ImproperlyConfigured, match="KAIFAQU_API_RATE_USER"):
        conf._rate("KAIFAQU_API_RATE_USER", "600/min")
