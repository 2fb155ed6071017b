"""The 红黄绿 rule document edited as data: a province's office saves a checked new version
(audited), the nightly refresh judges by it, and a refusal (a zone's or city's staff, red
before yellow) saves nothing."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from kaifaqu.audit.models import ObjectChange
from kaifaqu.investment import lights
from kaifaqu.investment.actions import Refused
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.kpi_models import LightRuleSet, ProjectLight
from kaifaqu.investment.light_actions import current_rules, refresh_lights, save_light_rules
from kaifaqu.investment.models import Project, StageChange

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
EDITS = {
    "start_overdue": {"name": "开工逾期", "yellow": "0d", "red": "1mo"},
    "investment_lag": {"name": "年度投资进度滞后", "yellow": 10.0, "red": 30.0},
    "statistics_missing": {"name": "开工后未入库纳统", "yellow": "1mo", "red": "2mo"},
}


def on(day: date) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=SHANGHAI))


@pytest.fixture
def overdue(world: dict[str, Any]) -> Project:
    """Signed, to have started by 2025-03-01."""
    project: Project = world["project"]
    StageChange.objects.create(
        project=project, from_stage=Stage.NEGOTIATING, to_stage=Stage.SIGNED,
        occurred_on=date(2025, 1, 6), recorded_at=timezone.now(),
    )  # fmt: skip
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.SIGNED, planned_start_date=date(2025, 3, 1)
    )
    return project


def test_a_saved_version_is_in_force_and_audited(world: dict[str, Any], overdue: Project) -> None:
    system = get_user_model().objects.get(username="system")
    with on(date(2025, 4, 10)):
        refresh_lights(as_of=timezone.localdate(), acting_user=system)
    assert ProjectLight.objects.get().light == "yellow"  # 40 days overdue; red after 3 months

    with on(date(2025, 4, 10)):
        saved = save_light_rules(
            EDITS, note="开工逾期一个月即亮红灯", acting_user=world["users"]["province"]
        )
        counts = refresh_lights(as_of=timezone.localdate(), acting_user=system)

    assert (saved.number, saved.version, saved.note) == (1, "2025.2", "开工逾期一个月即亮红灯")
    rules = current_rules()
    assert rules.version == "2025.2"
    assert [(r.code, r.red.describe()) for r in rules.rules] == [
        ("start_overdue", "1 个月后"),
        ("investment_lag", "> 30"),
        ("statistics_missing", "2 个月后"),
    ]
    assert "# 招商项目红黄绿灯" in saved.document  # the document's comments stay
    light = ProjectLight.objects.get()
    assert (light.light, light.rules_version, counts["newly_red"]) == ("red", "2025.2", 1)
    change = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(LightRuleSet), object_id=str(saved.pk)
    )
    assert (change.action, change.after["version"]) == ("create", "2025.2")


@pytest.mark.parametrize("who", ["zone", "city"])
def test_only_a_province_office_saves(world: dict[str, Any], who: str) -> None:
    with pytest.raises(PermissionDenied, match="只有省级主管部门可以修改红黄绿灯规则"):
        save_light_rules(EDITS, note="改", acting_user=world["users"][who])
    assert not LightRuleSet.objects.exists()
    assert current_rules() == lights.load_preset()


def test_red_before_yellow_is_refused_and_saves_nothing(world: dict[str, Any]) -> None:
    edits = {**EDITS, "investment_lag": {"name": "年度投资进度滞后", "yellow": 20.0, "red": 15.0}}
    with pytest.raises(Refused) as refused:
        save_light_rules(edits, note="改", acting_user=world["users"]["province"])
    assert str(refused.value) == "规则「年度投资进度滞后」:红灯门槛不得低于黄灯门槛"
    assert not LightRuleSet.objects.exists()


def test_the_page_edits_the_rules_for_a_province_office_only(
    world: dict[str, Any], client: Any
) -> None:
    url = reverse("investment:light_rules")
    client.force_login(world["users"]["zone"])
    page = client.get(url).content.decode()
    assert "<td>开工逾期</td><td>开工逾期天数</td><td>0 天后</td><td>3 个月后</td>" in page
    assert 'data-testid="light-rules-form"' not in page
    client.force_login(world["users"]["province"])
    assert 'data-testid="light-rules-form"' in client.get(url).content.decode()
    form = {
        "note": "",
        "start_overdue-name": "开工逾期", "start_overdue-yellow": "7",
        "start_overdue-yellow_unit": "d", "start_overdue-red": "2",
        "start_overdue-red_unit": "mo", "investment_lag-name": "年度投资进度滞后",
        "investment_lag-yellow": "10", "investment_lag-red": "30",
        "statistics_missing-name": "开工后未入库纳统", "statistics_missing-yellow": "1",
        "statistics_missing-yellow_unit": "mo", "statistics_missing-red": "2",
        "statistics_missing-red_unit": "mo",
    }  # fmt: skip
    assert '<div class="error">该字段是必填项。</div>' in client.post(url, form).content.decode()
    assert not LightRuleSet.objects.exists()
    refused = client.post(url, {**form, "note": "改", "investment_lag-red": "5"}).content.decode()
    assert "规则「年度投资进度滞后」:红灯门槛不得低于黄灯门槛" in refused
    assert not LightRuleSet.objects.exists()
    response = client.post(url, {**form, "note": "开工逾期 7 天起亮黄灯"})
    assert response.status_code == 302
    rule = current_rules().rules[0]
    assert (rule.yellow.after, rule.red.after) == ("7d", "2mo")
    assert "开工逾期 7 天起亮黄灯" in client.get(url).content.decode()
