"""Projects and stage updates through the intake: preview, a bad row named exactly, the
transitions written by the pipeline's actions, and the undo appending 撤销 entries (refused
once a later transition exists)."""

import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from kaifaqu.intake.actions import UndoRefused, commit_batch, create_batch, undo_batch
from kaifaqu.intake.tests.test_import import workbook
from kaifaqu.investment import actions
from kaifaqu.investment.actions import Evidence
from kaifaqu.investment.models import Project, ProjectPackage, StageChange
from kaifaqu.units.models import Unit

pytestmark = pytest.mark.django_db

PROJECT_HEADER = [
    "项目编号", "项目名称", "开发区代码", "投资方", "主导产业项目", "总投资(亿元)", "用地面积(亩)",
]  # fmt: skip
STAGE_HEADER = [
    "项目编号", "变更后阶段", "发生日期", "签约金额(万元)", "合同编号", "统一社会信用代码",
    "情况说明",
]  # fmt: skip


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> None:
    time_machine.move_to(datetime(2025, 6, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def run(data: bytes, kind: str, user: Any, policy: str = "reject") -> Any:
    batch = create_batch(data, "招商.xlsx", kind, acting_user=user, policy=policy)
    return commit_batch(batch, acting_user=user)


def test_projects_import_enters_leads_and_refuses_another_zone(world):
    user = world["users"]["zone"]
    data = workbook(
        PROJECT_HEADER,
        [
            ["Z001-2025-0101", "高端装备产业园项目", "Z001", "华瑞装备", "是", 12.5, 180],
            ["Z003-2025-0001", "西城物流项目", "Z003", "", "否", 1, 20],
        ],
        sheet="招商项目",
    )
    refused = run(data, "investment-projects", user)
    assert refused.state == "refused"
    assert refused.problems[0] == {
        "sheet": "招商项目", "row": 3, "column": "开发区代码", "value": "Z003",
        "code": "unknown_reference", "message": "开发区代码「Z003」不在您的数据范围内(或尚未登记)",
        "fix": "核对代码;如确属新对象,请先登记", "severity": "error",
    }  # fmt: skip
    assert not Project.objects.filter(code="Z001-2025-0101").exists()
    batch = run(data, "investment-projects", user, policy="keep-valid")
    assert batch.state == "committed"
    project = Project.objects.get(code="Z001-2025-0101")
    assert (project.stage, project.stage_entered, project.zone) == (
        "lead", date(2025, 6, 30), world["zones"]["east"],
    )  # fmt: skip
    assert project.total_investment == 125000
    assert project.investment_intensity is None  # no fixed-asset investment given


def stages_file(world: dict[str, Any], rows: list[list[Any]]) -> bytes:
    return workbook(STAGE_HEADER, rows, sheet="招商项目阶段更新")


def test_stage_import_names_the_bad_row_and_writes_through_the_actions(world):
    user, project = world["users"]["zone"], world["project"]
    code = project.code
    data = stages_file(world, [
        [code, "储备", "2025-02-01", None, "", "", ""],
        [code, "洽谈", "2025-03-01", None, "", "", ""],
        [code, "签约", "2025-04-01", 52000, "", "", ""],
    ])  # fmt: skip
    refused = run(data, "investment-stages", user)
    assert refused.state == "refused"
    assert refused.problems == [
        {
            "sheet": "招商项目阶段更新", "row": 4, "column": "合同编号", "value": "",
            "code": "missing_evidence", "message": "签约须填写合同编号",
            "fix": "补填「合同编号」列", "severity": "error",
        }
    ]  # fmt: skip
    assert StageChange.objects.count() == 0
    data = stages_file(world, [
        [code, "储备", "2025-02-01", None, "", "", ""],
        [code, "洽谈", "2025-03-01", None, "", "", ""],
        [code, "签约", "2025-04-01", 52000, "HT-2025-017", "", ""],
    ])  # fmt: skip
    batch = run(data, "investment-stages", user)
    assert batch.state == "committed"
    project.refresh_from_db()
    assert (project.stage, project.total_investment) == ("signed", 52000)
    signed = project.stage_changes.get(to_stage="signed")
    assert signed.evidence == {"contract_amount": "52000.00", "reference": "HT-2025-017"}

    undo_batch(batch, acting_user=user)
    project.refresh_from_db()
    assert project.stage == "lead"
    history = [(c.kind, c.from_stage, c.to_stage) for c in project.stage_changes.all()]
    assert history == [
        ("transition", "lead", "reserve"), ("transition", "reserve", "negotiating"),
        ("transition", "negotiating", "signed"), ("undo", "signed", "negotiating"),
        ("undo", "negotiating", "reserve"), ("undo", "reserve", "lead"),
    ]  # fmt: skip


def test_undoing_a_stage_import_is_refused_after_a_later_transition(world):
    user, project = world["users"]["zone"], world["project"]
    data = stages_file(world, [[project.code, "储备", "2025-02-01", None, "", "", ""]])
    batch = run(data, "investment-stages", user)
    actions.advance(project, "negotiating", Evidence(date(2025, 3, 1)), acting_user=user)
    count = StageChange.objects.count()
    with pytest.raises(UndoRefused, match="之后项目已有新的阶段变更,不能撤销"):
        undo_batch(batch, acting_user=user)
    assert StageChange.objects.count() == count
    batch.refresh_from_db()
    assert batch.state == "committed"


@pytest.mark.parametrize("kind", ["investment-projects", "investment-stages"])
def test_the_templates_carry_the_kinds_headers(client, world, kind):
    client.force_login(world["users"]["zone"])
    response = client.get(f"/intake/templates/{kind}.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == (
        ["项目编号", "项目名称", "开发区代码"]
        if kind == "investment-projects"
        else ["项目编号", "变更后阶段", "发生日期"]
    )


FULL_HEADER = [*PROJECT_HEADER, "负责人", "责任单位", "项目包", "阶段"]


def test_projects_import_names_person_unit_package_and_checks_the_stage(world):
    user = world["users"]["zone"]
    east = world["zones"]["east"]
    ProjectPackage.objects.create(zone=east, year=2025, name="新能源产业链补链项目包")
    Unit.objects.filter(pk=world["units"]["committee"].pk).update(aliases=["东城经开区管委"])
    code = world["project"].code
    rows = [
        ["Z001-2025-0101", "高端装备产业园项目", "Z001", "华瑞装备", "是", 12.5, 180,
         "zone_staff", "东城经开区管委", "新能源产业链补链项目包", "线索"],
        ["Z001-2025-0102", "智能制造项目", "Z001", "", "否", 1, 20,
         "王五", "东城市税务局", "不存在的项目包", "签约"],
        [code, "新能源电池材料项目", "Z001", "华创新能源集团", "是", 3, 50, "", "", "", "储备"],
    ]  # fmt: skip
    refused = run(workbook(FULL_HEADER, rows, sheet="招商项目"), "investment-projects", user)
    assert refused.state == "refused"
    fix = "核对代码;如确属新对象,请先登记"
    found = [(p["row"], p["column"], p["value"], p["code"], p["message"]) for p in refused.problems]
    # each names its row and the file's own header
    assert found == [
        (3, "负责人", "王五", "unknown_reference",
         "项目负责人「王五」不是您所在开发区的工作人员(姓名重名时请填用户名)"),
        (3, "责任单位", "东城市税务局", "unknown_reference",
         "牵头单位「东城市税务局」不在您的数据范围内(或名称对应多个单位)"),
        (3, "项目包", "不存在的项目包", "unknown_reference",
         "项目所在开发区没有名为「不存在的项目包」的产业集群项目包"),
        (4, "阶段", "储备", "stage_not_here", "项目阶段须为「线索」:本导入不改变阶段"),
    ]  # fmt: skip
    assert refused.problems[0]["fix"] == fix
    assert refused.problems[3]["fix"] == "阶段的推进请用「招商项目阶段更新」导入或在项目页面办理"
    assert not Project.objects.filter(code__startswith="Z001-2025-01").exists()

    batch = run(workbook(FULL_HEADER, rows[:1], sheet="招商项目"), "investment-projects", user)
    assert batch.state == "committed"
    project = Project.objects.get(code="Z001-2025-0101")
    assert (project.stage, project.person_in_charge, project.lead_unit, project.package.name) == (
        "lead", user, world["units"]["committee"], "新能源产业链补链项目包",
    )  # fmt: skip
