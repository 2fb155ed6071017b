"""红黄绿 lights: the rule document's checks, each rule's thresholds on a controlled clock, and
the refresh prompting the person in charge and opening exactly one blocking problem."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kaifaqu.investment import actions, lights
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.kpi_models import ProjectLight
from kaifaqu.investment.light_actions import refresh_lights
from kaifaqu.investment.models import AnnualPlan, Project, StageChange
from kaifaqu.notifications.models import Notification
from kaifaqu.supervision.choices import Level
from kaifaqu.supervision.models import SupervisedItem

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def on(day: date) -> Any:
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 4, tzinfo=SHANGHAI), tick=False
    )


def light_of(project: Project) -> tuple[str, list[str]]:
    light = ProjectLight.objects.get(project=project)
    return light.light, [lights.reason_text(r) for r in light.reasons]


@pytest.fixture
def system() -> Any:
    return get_user_model().objects.get(username="system")


@pytest.fixture
def signed(world: dict[str, Any]) -> Project:
    """The world's project, signed on 2025-01-06, to start by 2025-03-01."""
    project: Project = world["project"]
    StageChange.objects.create(
        project=project, from_stage=Stage.NEGOTIATING, to_stage=Stage.SIGNED,
        occurred_on=date(2025, 1, 6), recorded_at=timezone.now(),
    )  # fmt: skip
    Project.objects.filter(pk=project.pk).update(
        stage=Stage.SIGNED, planned_start_date=date(2025, 3, 1)
    )
    project.refresh_from_db()
    return project


def refresh(day: date, system: Any) -> dict[str, int]:
    with on(day):
        return refresh_lights(as_of=timezone.localdate(), acting_user=system)


def test_start_overdue_turns_yellow_then_red_after_three_months(
    signed: Project, system: Any
) -> None:
    refresh(date(2025, 3, 1), system)
    assert light_of(signed) == ("green", [])
    refresh(date(2025, 3, 2), system)
    assert light_of(signed) == ("yellow", ["开工逾期:开工逾期天数 1(黄灯)"])
    refresh(date(2025, 6, 1), system)
    assert light_of(signed)[0] == "yellow"
    refresh(date(2025, 6, 2), system)
    assert light_of(signed) == ("red", ["开工逾期:开工逾期天数 93(红灯)"])
    assert ProjectLight.objects.get(project=signed).since == date(2025, 6, 2)


def test_statistics_missing_after_the_start(signed: Project, system: Any) -> None:
    StageChange.objects.create(
        project=signed, from_stage=Stage.REGISTERED, to_stage=Stage.STARTED,
        occurred_on=date(2025, 1, 10), recorded_at=timezone.now(),
    )  # fmt: skip
    Project.objects.filter(pk=signed.pk).update(stage=Stage.STARTED)
    refresh(date(2025, 2, 10), system)
    assert light_of(signed) == ("green", ["开工后未入库纳统:开工后未入库纳统天数 31(绿灯)"])
    refresh(date(2025, 2, 11), system)
    assert light_of(signed)[0] == "yellow"
    refresh(date(2025, 3, 11), system)
    assert light_of(signed)[0] == "red"
    Project.objects.filter(pk=signed.pk).update(statistics_date=date(2025, 3, 1))
    refresh(date(2025, 3, 12), system)
    assert light_of(signed) == ("green", [])


@pytest.mark.parametrize(
    ("completed", "light", "lag"),
    # On 2025-07-01, 182 of 365 days (49.9%) of the year have passed.
    [(400, "green", "9.9"), (300, "yellow", "19.9"), (199, "yellow", "30"), (100, "red", "39.9")],
)
def test_investment_lagging_the_yearly_plan(
    signed: Project, system: Any, completed: int, light: str, lag: str
) -> None:
    Project.objects.filter(pk=signed.pk).update(planned_start_date=None)
    AnnualPlan.objects.create(
        project=signed, year=2025, planned_investment=Decimal(1000),
        completed_investment=Decimal(completed),
    )  # fmt: skip
    refresh(date(2025, 7, 1), system)
    label = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}[light]
    assert light_of(signed) == (light, [f"年度投资进度滞后:投资进度滞后百分点 {lag}({label})"])


def test_turning_red_prompts_and_opens_exactly_one_problem(
    signed: Project, system: Any, world: dict[str, Any]
) -> None:
    refresh(date(2025, 5, 1), system)
    assert Notification.objects.count() == 0
    counts = refresh(date(2025, 6, 2), system)
    assert (counts["newly_red"], counts["problems_opened"]) == (1, 1)
    notice = Notification.objects.get()
    assert (notice.recipient, notice.title) == (
        world["users"]["zone"],
        "项目亮红灯:新能源电池材料项目",
    )
    problem = actions.open_problems_of(signed).get()
    assert problem.number.startswith("ZS-")
    assert problem.lead_unit == world["units"]["committee"]
    # Still red the next night: no new prompt, no second problem.
    counts = refresh(date(2025, 6, 3), system)
    assert (counts["red"], counts["newly_red"], counts["problems_opened"]) == (1, 0, 0)
    assert (Notification.objects.count(), SupervisedItem.objects.count()) == (1, 1)


def test_a_problem_already_open_is_not_doubled(
    signed: Project, system: Any, world: dict[str, Any]
) -> None:
    actions.open_blocking_problem(
        signed, title="用地指标未落实", level=Level.DISTRICT, acting_user=world["users"]["zone"]
    )
    counts = refresh(date(2025, 6, 2), system)
    assert (counts["newly_red"], counts["problems_opened"]) == (1, 0)
    assert (Notification.objects.count(), SupervisedItem.objects.count()) == (1, 1)


def test_closed_projects_lose_their_light(signed: Project, system: Any) -> None:
    refresh(date(2025, 6, 2), system)
    Project.objects.filter(pk=signed.pk).update(stage=Stage.TERMINATED)
    assert refresh(date(2025, 6, 3), system)["judged"] == 0
    assert not ProjectLight.objects.exists()


def test_pages_say_why_a_project_is_red(
    signed: Project, system: Any, world: dict[str, Any], client: Any
) -> None:
    refresh(date(2025, 6, 2), system)
    reason = "开工逾期:开工逾期天数 93(红灯)"
    client.force_login(world["users"]["zone"])
    page = client.get(signed.get_absolute_url()).content.decode()
    assert f"<li>{reason}</li>" in page
    assert "2025-06-02 按规则版本 2026.1 评价;2025-06-02 起为红灯" in page
    tooltip = f'<span class="tag light-red" title="{reason}">红灯</span>'
    assert tooltip in client.get(reverse("investment:project_list")).content.decode()
    board = client.get(reverse("investment:board")).content.decode()
    assert f'title="{reason}">红灯</span>' in board
    response = client.get(reverse("investment:project_list") + "?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    header, row = list(load_workbook(BytesIO(content)).active.values)
    assert dict(zip(header, row, strict=True))["预警灯"] == "红灯"
    assert dict(zip(header, row, strict=True))["预警原因"] == reason


def test_a_green_light_lists_no_reason(signed: Project, system: Any) -> None:
    refresh(date(2025, 3, 1), system)
    light = ProjectLight.objects.get(project=signed)
    assert (light.light, light.reason_texts, light.reason_summary) == ("green", [], "")


BAD = """
[ruleset]
name = "测试"

[[rule]]
code = "a"
name = "甲"
measure = "start_overdue"
yellow = { over = 3 }
red = { after = "3 months" }
colour = "红"

[[rule]]
code = "a"
name = "乙"
measure = "investment_lag"
yellow = { at_least = 10, over = 20 }
red = { over = "三十" }

[[rule]]
code = "c"
measure = "weather"
yellow = { after = "1mo" }
red = 5
"""


def test_rule_document_errors_name_their_place() -> None:
    with pytest.raises(lights.RuleSetError) as raised:
        lights.parse_rules(BAD)
    assert raised.value.problems == [
        "[ruleset] 须有 name 和 version",
        "第 1 条规则 [[rule]]:未知的键 colour",
        "第 1 条规则 [[rule]] yellow:须且只须给出 after",
        '第 1 条规则 [[rule]] red:after 须为天数或月数,如 "0d"、"3mo"',
        "第 2 条规则 [[rule]] yellow:须且只须给出 at_least 或 over",
        "第 2 条规则 [[rule]] red:over 须为数值",
        "第 3 条规则 [[rule]]:须有 code 和 name",
        "第 3 条规则 [[rule]]:measure 须为 start_overdue、statistics_missing、investment_lag 之一",
        "第 3 条规则 [[rule]] yellow:须且只须给出 at_least 或 over",
        '第 3 条规则 [[rule]] red:须为表,如 { after = "1mo" } 或 { over = 30 }',
        "规则的 code 不得重复",
    ]
    with pytest.raises(lights.RuleSetError, match="不是有效的 TOML"):
        lights.parse_rules("[ruleset")
    assert lights.parse_rules(lights.preset_text()).version == "2026.1"
