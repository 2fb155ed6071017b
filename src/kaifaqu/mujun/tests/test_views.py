"""Pages: every URL × role × in/out of scope, query counts, exports, the result card."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult, PointsEntry

from .conftest import evaluate_now

TODAY = date(2026, 3, 10)


@pytest.fixture
def public_run(run, manager):
    return actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
    )


@pytest.fixture
def west_run(rich_province, scheme, manager):
    """A run of the west zone only: outside the east zone user's scope entirely."""
    west = rich_province["zones"]["west"]
    return evaluate_now(
        actions.start_run(scheme, year=2025, region=west.region, zone=west, acting_user=manager)
    )


def urls(run, result, zone, scheme):
    return {
        "runs": reverse("mujun:run_list"),
        "run": reverse("mujun:run", args=[run.pk]),
        "zone": reverse("mujun:zone_grades", args=[run.pk, zone.pk]),
        "policies": reverse("mujun:policies", args=[run.pk]),
        "result": reverse("mujun:result", args=[result.pk]),
        "sheet": reverse("mujun:result_sheet", args=[result.pk]),
        "simulate": reverse("mujun:simulate", args=[result.pk]) + "?tax_paid=500",
        "publicity": reverse("mujun:export", args=[run.pk, "publicity"]),
        "schemes": reverse("mujun:scheme_list"),
        "scheme": reverse("mujun:scheme", args=[scheme.pk]),
        # The points list and its export narrowed to the zone: another zone's is a 404.
        "points": reverse("mujun:points") + f"?zone={zone.pk}",
        "points_export": reverse("mujun:points_export") + f"?zone={zone.pk}",
    }


@pytest.mark.parametrize("who", ["analyst", "zone", "anonymous"])
def test_access_matrix(
    client, who, public_run, west_run, province_analyst, zone_user, rich_province, scheme
):
    # given a province run in 公示 and a west-zone run; the zone user belongs to the east zone.
    # Who may add and delete points entries: test_access_matrix_of_points_writes.
    east, west = rich_province["zones"]["east"], rich_province["zones"]["west"]
    inside = urls(
        public_run, EvaluationResult.objects.filter(run=public_run, zone=east).first(), east, scheme
    )
    outside = urls(
        west_run, EvaluationResult.objects.filter(run=public_run, zone=west).first(), west, scheme
    )
    if who != "anonymous":
        client.force_login(province_analyst if who == "analyst" else zone_user)
    expected_inside = {
        "analyst": dict.fromkeys(inside, 200),
        "zone": dict.fromkeys(inside, 200),  # the province scheme is readable by its zones
        "anonymous": dict.fromkeys(inside, 302),
    }[who]
    expected_outside = {
        "analyst": dict.fromkeys(outside, 200) | {"publicity": 404},  # a draft has no 公示 list
        "zone": dict.fromkeys(outside, 404) | {"runs": 200, "schemes": 200, "scheme": 200},
        "anonymous": dict.fromkeys(outside, 302),
    }[who]
    got_inside = {name: client.get(url).status_code for name, url in inside.items()}
    got_outside = {name: client.get(url).status_code for name, url in outside.items()}
    assert (got_inside, got_outside) == (expected_inside, expected_outside)


@pytest.mark.parametrize("who", ["analyst", "zone", "enterprise", "leadership", "anonymous"])
def test_access_matrix_of_points_writes(
    client, who, rich_province, manager, province_analyst, zone_user
):
    # given an east and a west entry; the zone user is the east zone's
    names = rich_province["enterprises"]
    east, west = (
        actions.add_points(
            names[name],
            year=2025,
            kind="bonus",
            points=Decimal(1),
            item=item,
            evidence="文",
            acting_user=manager,
        )
        for name, item in (("东城纺织有限公司", "东"), ("西城化工有限公司", "西"))
    )
    users = {
        "analyst": province_analyst,
        "zone": zone_user,
        "enterprise": make_user("ent", "enterprise_user", enterprise=names["东城纺织有限公司"]),
        "leadership": make_user("lead", "leadership", region=rich_province["province"]),
    }
    if who in users:
        client.force_login(users[who])
    form = {"year": 2025, "kind": "加分", "points": "1", "item": "新", "evidence": "文"}
    # when they add for both enterprises and delete both entries
    got = {
        "add east": client.post(
            reverse("mujun:points_add"), form | {"uscc": names["东城纺织有限公司"].uscc}
        ).status_code,
        "add west": client.post(
            reverse("mujun:points_add"), form | {"uscc": names["西城化工有限公司"].uscc}
        ).status_code,
        "delete east": client.post(reverse("mujun:points_delete", args=[east.pk])).status_code,
        "delete west": client.post(reverse("mujun:points_delete", args=[west.pk])).status_code,
    }
    # then each may change exactly its own scope, and what was refused is as it was
    left = sorted(PointsEntry.objects.values_list("enterprise__name", "item"))
    expected = {
        "analyst": (
            dict.fromkeys(got, 302),
            [("东城纺织有限公司", "新"), ("西城化工有限公司", "新")],
        ),
        "zone": (
            {"add east": 302, "add west": 400, "delete east": 302, "delete west": 404},
            [("东城纺织有限公司", "新"), ("西城化工有限公司", "西")],
        ),
        "enterprise": (
            dict.fromkeys(got, 403),
            [("东城纺织有限公司", "东"), ("西城化工有限公司", "西")],
        ),
        "leadership": (
            dict.fromkeys(got, 403),
            [("东城纺织有限公司", "东"), ("西城化工有限公司", "西")],
        ),
        "anonymous": (
            dict.fromkeys(got, 302),
            [("东城纺织有限公司", "东"), ("西城化工有限公司", "西")],
        ),
    }[who]
    assert (got, left) == expected


def corrected(run, manager):
    """``run`` published, then corrected: a second revision to compare with."""
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
    )
    run = actions.publish_run(run, acting_user=manager, today=TODAY + timedelta(days=7))
    return evaluate_now(actions.correct_published(run, acting_user=manager))


@pytest.mark.parametrize("who", ["analyst", "zone", "anonymous"])
def test_access_matrix_of_the_revision_differences(
    client, who, run, west_run, manager, province_analyst, zone_user
):
    # given corrections of the province run and of the west-zone run (outside the zone user's)
    inside, outside = corrected(run, manager), corrected(west_run, manager)
    if who != "anonymous":
        client.force_login(province_analyst if who == "analyst" else zone_user)
    got = {
        (where, name): client.get(reverse(name, args=[revision.pk])).status_code
        for where, revision in (("inside", inside), ("outside", outside))
        for name in ("mujun:changes", "mujun:changes_export")
    }
    expected = {
        "analyst": dict.fromkeys(got, 200),
        "zone": {key: 200 if key[0] == "inside" else 404 for key in got},
        "anonymous": dict.fromkeys(got, 302),
    }[who]
    assert got == expected


def test_posts_are_refused_outside_scope(client, west_run, zone_user, manager):
    # given the east zone user and the west run: no transition, no objection
    client.force_login(zone_user)
    result = EvaluationResult.objects.filter(run=west_run).first()
    assert (
        client.post(
            reverse("mujun:run_step", args=[west_run.pk, "publicity"]),
            {"start": "2026-03-10", "end": "2026-03-16"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("mujun:object", args=[result.pk]), {"reason": "x", "evidence": "y"}
        ).status_code
        == 404
    )
    west_run.refresh_from_db()
    assert west_run.state == "draft"


def test_a_zone_user_sees_and_exports_only_its_zone(client, public_run, zone_user, rich_province):
    client.force_login(zone_user)
    page = client.get(reverse("mujun:run", args=[public_run.pk])).content.decode()
    assert "东城纺织有限公司" in page
    assert "西城化工有限公司" not in page
    response = client.get(reverse("mujun:export", args=[public_run.pk, "publicity"]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[2] for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert names == {"东城纺织有限公司", "东城化工股份有限公司"}


def test_the_result_card_says_what_it_takes_to_reach_b(client, run, province_analyst):
    client.force_login(province_analyst)
    weakest = EvaluationResult.objects.filter(run=run).order_by("total").first()
    page = client.get(reverse("mujun:result", args=[weakest.pk])).content.decode()
    assert "达到 <strong>B</strong> 类" in page
    assert "万元" in page
    assert "吨标准煤" in page
    assert "差别化电价" in page


def test_list_and_run_pages_take_a_fixed_number_of_queries(
    client, run, province_analyst, django_assert_max_num_queries
):
    client.force_login(province_analyst)
    with django_assert_max_num_queries(14):
        client.get(reverse("mujun:run_list"))
    with django_assert_max_num_queries(17):  # with the header's unread notifications
        client.get(reverse("mujun:run", args=[run.pk]))


def test_enterprise_users_see_their_own_result_only_once_public(client, run, manager):
    result = EvaluationResult.objects.filter(run=run).first()
    user = make_user("ent", "enterprise_user", enterprise=result.enterprise)
    client.force_login(user)
    url = reverse("mujun:result", args=[result.pk])
    assert client.get(url).status_code == 404
    actions.start_publicity(run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager)
    assert client.get(url).status_code == 200
    other = EvaluationResult.objects.filter(run=run).exclude(pk=result.pk).first()
    assert client.get(reverse("mujun:result", args=[other.pk])).status_code == 404


def test_copying_a_preset_and_starting_a_run_from_the_pages(client, rich_province, manager):
    client.force_login(manager)
    response = client.post(reverse("mujun:scheme_list"), {"preset": "huangyan_2022"})
    assert response.status_code == 302
    scheme_id = int(response.url.rstrip("/").split("/")[-1])
    response = client.post(reverse("mujun:run_list"), {"scheme": scheme_id, "year": 2025})
    assert response.status_code == 302
    bad = client.post(reverse("mujun:scheme", args=[scheme_id]), {"document": "[scheme]\nid = 'x'"})
    assert "方案有误" in bad.content.decode()


def test_the_scheme_page_shows_caps_and_score_lines(client, scheme, manager):
    # given a version of the 黄岩 scheme with a cap on 亩均税收 and graded by score lines
    document = scheme.document.replace(
        "[pool.benchmarks]\ntax_per_mu = 24.097",
        "[pool.caps]\ntax_per_mu = 1.5\n\n[pool.benchmarks]\ntax_per_mu = 24.097",
        1,
    ).replace('method = "quota"', 'method = "thresholds"\nthresholds = [120, 90, 60]')
    version = actions.save_scheme_version(scheme, document, acting_user=manager)
    client.force_login(manager)
    page = client.get(reverse("mujun:scheme", args=[version.pk])).content.decode()
    assert '<tr><td>亩均税收</td><td class="num">30.0</td>' in page
    assert '<td class="num">1.5</td></tr>' in page
    assert "分数线 120.0 / 90.0 / 60.0" in page
