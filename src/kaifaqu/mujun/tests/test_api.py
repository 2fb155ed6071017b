"""The 亩均 endpoints of the API: what a start, a copy, a new version and a card return."""

from dataclasses import asdict

import pytest
from rest_framework.test import APIClient

from kaifaqu.mujun.card import result_card
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Scheme
from kaifaqu.mujun.scheme import preset_text
from kaifaqu.mujun.tests.conftest import evaluate_now

pytestmark = pytest.mark.django_db


def client_of(user):
    client = APIClient()
    client.force_login(user)
    return client


def test_a_started_run_comes_back_with_its_queued_job_which_it_then_follows(
    rich_province, scheme, manager
):
    client = client_of(manager)

    started = client.post("/api/v1/mujun-runs/", {"scheme": scheme.pk, "year": 2025}, format="json")

    run = EvaluationRun.objects.get()
    assert started.status_code == 201
    body = started.json()
    assert (body["id"], body["state"], body["region"], body["zone"]) == (
        run.pk,
        "queued",
        rich_province["province"].pk,
        None,
    )
    assert body["job"] == {
        "id": str(run.job_id),
        "state": "queued",
        "done": 0,
        "total": None,
        "percent": None,
        "message": "",
        "error": "",
        "finished": None,
    }
    assert (run.created_by, run.scheme_document) == (manager, scheme.document)

    evaluate_now(run)
    followed = client.get(f"/api/v1/mujun-runs/{run.pk}/").json()

    assert (followed["state"], followed["job"]["state"]) == ("draft", "succeeded")


def test_a_zone_run_needs_a_zone_the_caller_may_change(rich_province, scheme, zone_user):
    west = rich_province["zones"]["west"]

    response = client_of(zone_user).post(
        "/api/v1/mujun-runs/", {"scheme": scheme.pk, "year": 2025, "zone": west.pk}, format="json"
    )

    assert response.status_code == 400
    assert [e["code"] for e in response.json()["error"]["fields"]["zone"]] == ["does_not_exist"]
    assert not EvaluationRun.objects.exists()


def test_a_run_s_results_are_listed_by_grade_pool_and_zone(run, manager):
    client = client_of(manager)
    east = run.results.filter(zone__code="Z001").first().zone
    rows = run.results.exclude(grade="")
    grade, pool = rows.order_by("pk")[0].grade, rows.order_by("pk")[0].pool

    def listed(query):
        response = client.get(f"/api/v1/mujun-results/?run={run.pk}{query}")
        return [row["id"] for row in response.json()["results"]]

    assert listed("") == sorted(run.results.values_list("pk", flat=True))
    assert listed(f"&grade={grade}") == sorted(
        run.results.filter(grade=grade).values_list("pk", flat=True)
    )
    assert listed(f"&pool={pool}&zone={east.pk}") == sorted(
        run.results.filter(pool=pool, zone=east).values_list("pk", flat=True)
    )


def test_results_are_listed_one_run_at_a_time(run, manager):
    response = client_of(manager).get("/api/v1/mujun-results/")

    assert response.status_code == 400
    assert [e["code"] for e in response.json()["error"]["fields"]["run"]] == ["required"]


def test_a_result_reads_as_the_list_shows_it(run, manager):
    result = run.results.exclude(grade="").order_by("pk").first()

    body = client_of(manager).get(f"/api/v1/mujun-results/{result.pk}/").json()

    assert (body["uscc"], body["enterprise_name"], body["grade"], body["total"]) == (
        result.enterprise.uscc,
        result.enterprise.name,
        result.grade,
        str(result.total),
    )
    assert (body["values"], body["items"]) == (result.values, result.items)


def test_the_card_says_what_the_result_card_says(run, manager):
    result = EvaluationResult.objects.filter(run=run).exclude(grade="").order_by("pk").first()
    card = result_card(result)

    body = client_of(manager).get(f"/api/v1/mujun-results/{result.pk}/card/").json()

    assert len(card.rows) > 1  # the card has indicators to compare
    assert body["rows"] == [asdict(row) for row in card.rows]
    assert body["policies"] == [{"name": n, "applies": a} for n, a in card.policies]
    assert (body["result"], body["scheme_name"], body["grade_label"]) == (
        result.pk,
        card.scheme.name,
        card.grade_label,
    )
    assert body["improvement"] == card.improvement
    assert body["points"] == {
        "entries": [],
        "counted": {"bonus_points": 0.0, "penalty_points": 0.0},
        "changed": False,
    }


def test_a_preset_is_copied_into_the_bureau_s_division_and_versioned(province, manager):
    client = client_of(manager)

    copied = client.post("/api/v1/mujun-schemes/", {"preset": "huaian_2024"}, format="json")
    original = Scheme.objects.get()
    edited = original.document.replace(original.name, "淮安修订方案", 1)
    versioned = client.post(
        f"/api/v1/mujun-schemes/{original.pk}/versions/", {"document": edited}, format="json"
    )

    assert copied.status_code == 201
    assert (original.preset, original.version, original.region) == (
        "huaian_2024",
        1,
        province["province"],
    )
    assert original.document == preset_text("huaian_2024")
    assert versioned.status_code == 201
    new = Scheme.objects.get(pk=versioned.json()["id"])
    assert (new.version, new.previous, new.document) == (2, original, edited)
    assert Scheme.objects.get(pk=original.pk).document == preset_text("huaian_2024")


def test_a_scheme_that_does_not_read_is_refused_and_nothing_saved(scheme, manager):
    response = client_of(manager).post(
        f"/api/v1/mujun-schemes/{scheme.pk}/versions/", {"document": "[scheme"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(Scheme.objects.values_list("pk", flat=True)) == [scheme.pk]


def test_a_zone_office_copies_no_preset(province, zone_user):
    response = client_of(zone_user).post(
        "/api/v1/mujun-schemes/", {"preset": "huangyan_2022"}, format="json"
    )

    assert response.status_code == 403
    assert not Scheme.objects.exists()
