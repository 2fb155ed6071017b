"""The one error format: ``{"error": {"code", "message", "fields"?}}`` for every failure."""

import pytest
from rest_framework.test import APIClient

from kaifaqu.audit.models import SecurityEvent
from kaifaqu.enterprises.api.views import EnterpriseViewSet
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db


def test_invalid_data_names_each_field_with_its_code(province, api_zone_client):
    east = province["zones"]["east"]

    response = api_zone_client.post(
        "/api/v1/enterprises/",
        {"uscc": "91990102MA0000001X", "name": "", "zone": east.pk, "status": "bogus"},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["message"]) == ("invalid", "提交的数据未通过校验")
    assert {name: [e["code"] for e in errors] for name, errors in error["fields"].items()} == {
        "uscc": ["invalid_uscc"],
        "name": ["blank"],
        "region": ["required"],
        "status": ["invalid_choice"],
    }


def test_model_validation_errors_take_the_same_format(province, api_zone_client):
    """A rule only the model's full_clean knows (a yearly value may not be left blank)."""
    from kaifaqu.catalog.models import Indicator

    response = api_zone_client.post(
        "/api/v1/zone-years/",
        {
            "zone": province["zones"]["east"].pk,
            "year": 2025,
            "indicator": Indicator.objects.order_by("pk").first().pk,
            "value": None,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "提交的数据未通过校验",
            "fields": {"value": [{"code": "blank", "message": "此字段不能为空。"}]},
        }
    }


def test_out_of_scope_and_missing_objects_are_the_same_404(province, api_zone_client):
    west = province["zones"]["west"]

    outside = api_zone_client.get(f"/api/v1/zones/{west.pk}/")
    missing = api_zone_client.get("/api/v1/zones/999999/")

    assert (outside.status_code, missing.status_code) == (404, 404)
    not_found = {"error": {"code": "not_found", "message": "对象不存在"}}
    assert outside.json() == missing.json() == not_found


def test_anonymous_caller_gets_401_and_the_token_challenge(client):
    response = client.get("/api/v1/zones/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"


def test_write_that_would_leave_the_scope_is_403_and_recorded(province, api_zone_client):
    response = api_zone_client.post(
        "/api/v1/zones/",
        {"code": "Z900", "name": "新设开发区", "kind": "other", "region": province["province"].pk},
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "permission_denied", "message": "该对象不在您的数据范围内"}
    }
    assert not Zone.objects.filter(code="Z900").exists()
    event = SecurityEvent.objects.get(kind="permission_denied")
    assert (event.kind, event.username, event.path) == (
        "permission_denied",
        "east_staff",
        "/api/v1/zones/",
    )


def test_administrator_without_business_role_is_403_on_business_data(province):
    from conftest import make_user

    auditor = make_user("auditor", "audit_admin", region=province["province"])
    client = APIClient()
    client.force_login(auditor)

    response = client.get("/api/v1/enterprises/")

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "permission_denied",
        "message": "您的角色无权执行此操作",
    }
    assert SecurityEvent.objects.get(kind="permission_denied").username == "auditor"


def test_reference_data_is_read_only(province, api_analyst_client):
    response = api_analyst_client.post("/api/v1/regions/", {"code": "990300"}, format="json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_delete_of_a_referenced_object_is_409_without_names(province, api_zone_client):
    east = province["zones"]["east"]
    enterprise = province["enterprises"]["东城纺织有限公司"]

    zone = api_zone_client.delete(f"/api/v1/zones/{east.pk}/")
    with_years = api_zone_client.delete(f"/api/v1/enterprises/{enterprise.pk}/")

    assert (zone.status_code, with_years.status_code) == (409, 409)
    assert zone.json()["error"] == {
        "code": "protected",
        "message": "该对象仍被其他数据引用(企业 2 条、企业年度数据 4 条),不能删除",
    }
    assert with_years.json()["error"] == {
        "code": "protected",
        "message": "该对象仍有关联数据:企业年度数据 2 条。请先删除这些数据。",
    }
    assert Zone.objects.filter(pk=east.pk).exists()
    assert enterprise.years.count() == 2


def test_body_that_is_not_json(province, api_zone_client):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    url = f"/api/v1/enterprises/{enterprise.pk}/"

    malformed = api_zone_client.patch(url, '{"status": ', content_type="application/json")
    form = api_zone_client.patch(url, "status=stopped", content_type="text/plain")

    assert (malformed.status_code, form.status_code) == (400, 415)
    assert malformed.json()["error"]["code"] == "parse_error"
    assert form.json()["error"]["code"] == "unsupported_media_type"


def test_bad_query_parameters(province, api_zone_client):
    cursor = api_zone_client.get("/api/v1/enterprises/?cursor=bm9wZQ")
    handmade = api_zone_client.get("/api/v1/enterprises/?cursor=cD1hYmM=")  # p=abc on an id
    zone = api_zone_client.get(f"/api/v1/enterprises/?zone={province['zones']['west'].pk}")

    assert (cursor.status_code, handmade.status_code, zone.status_code) == (400, 400, 400)
    assert cursor.json()["error"]["fields"] == {
        "cursor": [{"code": "invalid_cursor", "message": "分页游标无效"}]
    }
    assert handmade.json() == cursor.json()
    assert [e["code"] for e in zone.json()["error"]["fields"]["zone"]] == ["invalid_choice"]


def test_unexpected_failure_is_a_500_in_the_same_format(province, api_zone_client, monkeypatch):
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(EnterpriseViewSet, "list", broken)

    response = api_zone_client.get("/api/v1/enterprises/")

    assert response.status_code == 500
    assert response.json() == {
        "error": {"code": "server_error", "message": "服务器内部错误,请稍后重试或联系管理员"}
    }
