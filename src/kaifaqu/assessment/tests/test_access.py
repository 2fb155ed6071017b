"""Every URL of the app × roles (province analyst, zone user of zone A, anonymous) × objects
inside and outside scope. Refusals change nothing; a zone user's pages never name another zone."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import make_user
from kaifaqu.assessment.actions import copy_framework, start_run
from kaifaqu.assessment.models import AssessmentFramework, Report
from kaifaqu.assessment.tests.conftest import finish, preset, seed_provincial
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Region
from kaifaqu.zones.models import Zone

pytestmark = pytest.mark.django_db

OTHER_ZONE_NAME = "西城经济开发区"


@pytest.fixture
def world(province: dict[str, Any], province_analyst: Any, zone_user: Any) -> dict[str, Any]:
    zones = dict(province["zones"])
    seed_provincial(zones, 2025)
    version = preset("provincial_six").latest()
    run_a = finish(start_run(version, year=2025, replications=0, acting_user=province_analyst))
    far = Region.objects.create(code="880000", name="远方省", level="province")
    far_zones = {
        key: Zone.objects.create(code=f"X{i}", name=f"远方开发区{i}", kind="provincial_edz",
                                 region=far, comparison_group="南")
        for i, key in enumerate(("east", "east_htz", "west"))
    }  # fmt: skip
    seed_provincial(far_zones, 2025)
    far_analyst = make_user("far", "province_analyst", region=far)
    run_x = finish(start_run(version, year=2025, replications=0, acting_user=far_analyst))
    own = copy_framework(preset("mofcom_2021"), acting_user=province_analyst, code="a", name="甲")
    far_fw = copy_framework(preset("mofcom_2021"), acting_user=far_analyst, code="x", name="乙")
    reports = {
        key: Report.objects.create(
            run=run_a, zone=zones[key], province_code="990000",
            pdf=ContentFile(b"%PDF-1.4", name=f"{key}.pdf"),
            docx=ContentFile(b"PK", name=f"{key}.docx"),
        )
        for key in ("east", "west")
    }  # fmt: skip
    return {
        "zones": zones, "far_zone": far_zones["east"], "run_a": run_a, "run_x": run_x,
        "preset": preset("provincial_six"), "own": own, "far_fw": far_fw, "reports": reports,
        "users": {"analyst": province_analyst, "zone": zone_user},
    }  # fmt: skip


def cases(w: dict[str, Any]) -> list[tuple[str, str, list[Any], dict[str, int]]]:
    """(method, url name, args, expected status per role)."""
    a, x, z = w["run_a"].pk, w["run_x"].pk, w["zones"]
    both = {"analyst": 200, "zone": 200}
    hidden = {"analyst": 404, "zone": 404}
    rows = [
        ("get", "assessment:index", [], both),
        ("get", "assessment:runs", [], both),
        ("get", "assessment:targets", [], both),
        ("get", "assessment:target_new", [], both),
        ("get", "assessment:rank_targets", [], both),
        ("get", "assessment:rank_target_new", [], both),
        ("get", "assessment:deductions", [], both),
        ("get", "assessment:deduction_new", [], both),
        ("get", "assessment:framework", [w["preset"].pk], both),
        ("get", "assessment:framework", [w["own"].pk], both),
        ("get", "assessment:framework", [w["far_fw"].pk], hidden),
        ("get", "assessment:pipeline", [w["preset"].pk], both),
        ("get", "assessment:pipeline", [w["far_fw"].pk], hidden),
        ("get", "assessment:profile", [a, z["east"].pk], both),
        ("get", "assessment:profile", [a, z["west"].pk], {"analyst": 200, "zone": 404}),
        ("get", "assessment:profile", [x, w["far_zone"].pk], hidden),
        ("get", "assessment:report_file", [w["reports"]["east"].pk, "pdf"], both),
        ("get", "assessment:report_file", [w["reports"]["west"].pk, "docx"],
         {"analyst": 200, "zone": 404}),
        ("post", "assessment:copy", [w["preset"].pk], {"analyst": 302, "zone": 403}),
        ("post", "assessment:copy", [w["far_fw"].pk], hidden),
        ("post", "assessment:save_version", [w["own"].pk], {"analyst": 302, "zone": 403}),
        ("post", "assessment:save_version", [w["far_fw"].pk], hidden),
        ("get", "assessment:edit", [w["own"].pk], {"analyst": 200, "zone": 403}),
        ("get", "assessment:edit", [w["preset"].pk], {"analyst": 403, "zone": 403}),
        ("get", "assessment:edit", [w["far_fw"].pk], hidden),
        ("post", "assessment:edit", [w["own"].pk], {"analyst": 200, "zone": 403}),
        ("post", "assessment:edit", [w["far_fw"].pk], hidden),
        ("post", "assessment:start_run", [w["far_fw"].pk], hidden),
        ("post", "assessment:publish", [a], {"analyst": 403, "zone": 403}),
        ("post", "assessment:rank_target_new", [], {"analyst": 200, "zone": 200}),
        ("post", "assessment:profile", [a, z["west"].pk], {"analyst": 302, "zone": 404}),
    ]  # fmt: skip
    for name in ("run", "run_export", "units", "status", "compare"):
        rows += [
            ("get", f"assessment:{name}", [a], both),
            ("get", f"assessment:{name}", [x], hidden),
        ]
    return rows


POST_DATA = {
    "assessment:copy": {"code": "copy-1", "name": "复制"},
    "assessment:save_version": {"document": "x = 1", "note": ""},
    "assessment:start_run": {"year": 2025},
}


@pytest.mark.parametrize("role", ["analyst", "zone"])
def test_role_gets_exactly_its_expected_status(client, world, role):
    client.force_login(world["users"][role])
    for method, name, args, expected in cases(world):
        before = ObjectChange.objects.count()
        response = getattr(client, method)(reverse(name, args=args), POST_DATA.get(name, {}))
        assert response.status_code == expected[role], (name, args)
        if expected[role] in (403, 404):
            assert ObjectChange.objects.count() == before, (name, args)
        if role == "zone" and expected[role] == 200 and "html" in response.get("Content-Type"):
            assert OTHER_ZONE_NAME not in response.content.decode(), (name, args)


def test_anonymous_is_sent_to_login_everywhere(client, world):
    for method, name, args, _ in cases(world):
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name


def test_every_url_of_the_app_is_in_the_matrix(world):
    from kaifaqu.assessment.urls import urlpatterns

    walked = {name.split(":")[1] for _, name, _, _ in cases(world)}
    assert {p.name for p in urlpatterns} == walked


def test_zone_user_export_holds_only_its_zone(client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world["users"]["zone"])
    response = client.get(reverse("assessment:run_export", args=[world["run_a"].pk]))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert [r[3] for r in rows[1:]] == ["Z001"]
    assert AssessmentFramework.objects.restrict(world["users"]["zone"], "change").count() == 0
