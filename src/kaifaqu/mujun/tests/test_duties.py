"""Who does what in the 亩均 workflow, as ``can()`` answers it for pages and the actions enforce.

The province's analyst opens the 公示, decides objections and corrects; its manager publishes; a
zone office and an enterprise file objections; a city office, a zone office and a leader neither
open nor decide a province run's 公示.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory

from conftest import make_user
from kaifaqu.access.permissions import can, ensure_can
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult

from .conftest import PUBLICITY_DAY, evaluate_now

TODAY = PUBLICITY_DAY.date()
RUN_ACTIONS = ("mujun.start_publicity", "mujun.publish_run", "mujun.correct_published")
# role: the run actions it may take on the province's run, and whether it files / decides
DUTIES = {
    "province_analyst": ({"mujun.start_publicity", "mujun.correct_published"}, False, True),
    "province_manager": (set(RUN_ACTIONS), False, True),
    "city_analyst": (set(), False, False),
    "leadership": (set(), False, False),
    "zone_analyst": (set(), True, False),
    "zone_manager": (set(), True, False),
    "enterprise_user": (set(), True, False),
}


@pytest.fixture
def users(rich_province, province_analyst, manager, zone_user, run):
    east = rich_province["zones"]["east"]
    result = EvaluationResult.objects.get(run=run, enterprise__name="东城纺织有限公司")
    return {
        "province_analyst": province_analyst,
        "province_manager": manager,
        "city_analyst": make_user("city", "city_analyst", region=east.region.parent),
        "leadership": make_user("leader", "leadership", region=rich_province["province"]),
        "zone_analyst": zone_user,
        "zone_manager": make_user("zone_manager", "zone_manager", zones=(east,)),
        "enterprise_user": make_user("ent", "enterprise_user", enterprise=result.enterprise),
    }


@pytest.mark.parametrize("role", DUTIES)
def test_each_role_may_take_exactly_its_duties(run, users, province_analyst, role):
    user = users[role]
    run_actions, files, decides = DUTIES[role]
    assert {name for name in RUN_ACTIONS if can(user, name, run)} == run_actions
    # objections: on the east zone's result, filed by its zone office during the 公示
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=province_analyst
    )
    result = EvaluationResult.objects.get(run=run, enterprise__name="东城纺织有限公司")
    assert can(user, "mujun.file_objection", result) is files
    objection = actions.file_objection(
        result, reason="用地面积有误", evidence="不动产权证", acting_user=users["zone_analyst"]
    )
    assert can(user, "mujun.decide_objection", objection) is decides


def test_no_one_decides_an_objection_of_their_own(rich_province, scheme, manager):
    # a zone's own run: its 管委会 both objects (as the zone) and decides (as its office)
    east = rich_province["zones"]["east"]
    zone_manager = make_user("zm", "zone_manager", zones=(east,))
    run = evaluate_now(
        actions.start_run(scheme, year=2025, region=east.region, zone=east, acting_user=manager)
    )
    assert can(zone_manager, "mujun.start_publicity", run)
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=zone_manager
    )
    own, other = EvaluationResult.objects.filter(run=run)[:2]
    objection = actions.file_objection(
        own, reason="数据有误", evidence="证明", acting_user=zone_manager
    )
    by_enterprise = actions.file_objection(
        other,
        reason="数据有误",
        evidence="证明",
        acting_user=make_user("ent", "enterprise_user", enterprise=other.enterprise),
    )
    assert can(zone_manager, "mujun.decide_objection", by_enterprise)
    assert not can(zone_manager, "mujun.decide_objection", objection)
    with pytest.raises(PermissionDenied, match="不能处理本人提出的异议"):
        actions.decide_objection(objection, accept=True, note="", acting_user=zone_manager)
    objection.refresh_from_db()
    assert objection.state == "pending"


def test_a_refusal_names_the_rule_and_changes_nothing(run, users):
    with pytest.raises(PermissionDenied, match="只有评价范围所属的主管部门可以开始公示"):
        ensure_can(users["zone_analyst"], "mujun.start_publicity", run)
    with pytest.raises(PermissionDenied, match="只有评价范围所属的主管部门可以开始公示"):
        actions.start_publicity(
            run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=users["leadership"]
        )
    run.refresh_from_db()
    assert (run.state, run.publicity_id) == ("draft", None)


def test_the_template_tag_asks_the_same_rule(run, users):
    template = Template(
        '{% load kaifaqu %}{% can "mujun.start_publicity" run as ok %}{{ ok|yesno:"可,否" }}'
    )
    for role, expected in (("province_analyst", "可"), ("zone_analyst", "否")):
        request = RequestFactory().get("/")
        request.user = users[role]
        assert template.render(Context({"request": request, "run": run})) == expected
