"""Stage transitions with and without their evidence, refusals that change nothing, the
append-only history with its undo, and blocked problems supervised as ZS items."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from kaifaqu.attachments.models import Attachment
from kaifaqu.audit.log import snapshot
from kaifaqu.audit.models import ObjectChange
from kaifaqu.investment import actions
from kaifaqu.investment.actions import Evidence, Refused
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.models import FundArrival, Project, StageChange
from kaifaqu.investment.tests.conftest import pdf
from kaifaqu.supervision import actions as supervision
from kaifaqu.supervision.choices import ItemState, Level, Light
from kaifaqu.supervision.models import SupervisedItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock(time_machine: Any) -> None:
    time_machine.move_to(datetime(2025, 6, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def everything() -> tuple[Any, ...]:
    return (
        [snapshot(p) for p in Project._base_manager.order_by("pk")],
        [snapshot(c) for c in StageChange._base_manager.order_by("pk")],
        Attachment.objects.count(),
        FundArrival._base_manager.count(),
        SupervisedItem._base_manager.count(),
        ObjectChange.objects.count(),
    )


def refused(call: Any, error: type[Exception], message: str) -> None:
    before = everything()
    with pytest.raises(error, match=message):
        call()
    assert everything() == before


def to_negotiating(world: dict[str, Any]) -> Project:
    project, user = world["project"], world["users"]["zone"]
    actions.advance(project, Stage.RESERVE, Evidence(date(2025, 2, 1)), acting_user=user)
    actions.advance(project, Stage.NEGOTIATING, Evidence(date(2025, 3, 1)), acting_user=user)
    return Project.objects.get(pk=project.pk)


def sign(world: dict[str, Any]) -> StageChange:
    return actions.advance(
        world["project"],
        Stage.SIGNED,
        Evidence(date(2025, 4, 10), files=[pdf()], contract_amount=Decimal("52000")),
        acting_user=world["users"]["zone"],
    )


def test_a_lead_moves_forward_with_its_evidence_into_an_append_only_history(world):
    project = to_negotiating(world)
    assert (project.stage, project.stage_entered) == (Stage.NEGOTIATING, date(2025, 3, 1))
    signed = sign(world)
    uscc = world["enterprises"]["东城纺织有限公司"].uscc
    registered = actions.advance(
        project, Stage.REGISTERED, Evidence(date(2025, 5, 6), uscc=uscc.lower()),
        acting_user=world["users"]["zone"],
    )  # fmt: skip
    project.refresh_from_db()
    assert project.stage == Stage.REGISTERED
    assert project.enterprise == world["enterprises"]["东城纺织有限公司"]
    assert project.total_investment == Decimal("52000")
    assert (signed.from_stage, signed.to_stage, signed.occurred_on) == (
        Stage.NEGOTIATING, Stage.SIGNED, date(2025, 4, 10),
    )  # fmt: skip
    assert (signed.amount_before, signed.amount_after) == (None, Decimal("52000"))
    attachment = Attachment.objects.get()
    assert signed.evidence == {
        "contract_amount": "52000.00",
        "attachments": [{"id": attachment.pk, "name": "合同.pdf", "sha256": attachment.sha256}],
    }
    assert registered.evidence == {"uscc": uscc, "enterprise": project.enterprise_id}
    assert [(c.from_stage, c.to_stage) for c in project.stage_changes.all()] == [
        ("lead", "reserve"), ("reserve", "negotiating"), ("negotiating", "signed"),
        ("signed", "registered"),
    ]  # fmt: skip
    assert (
        ObjectChange.objects.filter(object_repr__endswith="洽谈 → 签约", action="create").count()
        == 1
    )


def test_each_stage_refuses_a_transition_without_its_evidence_and_changes_nothing(world):
    project, user = to_negotiating(world), world["users"]["zone"]
    refused(
        lambda: actions.advance(project, Stage.SIGNED, Evidence(date(2025, 4, 1), files=[pdf()]),
                                acting_user=user),
        Refused, "签约须填写签约金额",
    )  # fmt: skip
    refused(
        lambda: actions.advance(
            project, Stage.SIGNED, Evidence(date(2025, 4, 1), contract_amount=Decimal(9)),
            acting_user=user,
        ),
        Refused, "签约须上传签约合同",
    )  # fmt: skip
    refused(
        lambda: actions.advance(project, Stage.STARTED, Evidence(date(2025, 4, 1)),
                                acting_user=user),
        Refused, "项目当前为「洽谈」阶段,只能进入「签约」",
    )  # fmt: skip
    refused(
        lambda: actions.advance(
            project, Stage.SIGNED,
            Evidence(date(2025, 2, 1), files=[pdf()], contract_amount=Decimal(9)),
            acting_user=user,
        ),
        Refused, "发生日期不能早于项目进入「洽谈」阶段的日期 2025-03-01",
    )  # fmt: skip
    sign(world)
    refused(
        lambda: actions.advance(project, Stage.REGISTERED,
                                Evidence(date(2025, 5, 1), uscc="91990102MA00000099"),
                                acting_user=user),
        Refused,
        "企业库中没有统一社会信用代码为 91990102MA00000099 的企业.*请先在企业名录中登记该企业",
    )  # fmt: skip
    west_uscc = world["enterprises"]["西城化工有限公司"].uscc
    refused(
        lambda: actions.advance(project, Stage.REGISTERED,
                                Evidence(date(2025, 5, 1), uscc=west_uscc), acting_user=user),
        Refused, "企业库中没有统一社会信用代码",
    )  # fmt: skip
    uscc = world["enterprises"]["东城纺织有限公司"].uscc
    actions.advance(project, Stage.REGISTERED, Evidence(date(2025, 5, 1), uscc=uscc),
                    acting_user=user)  # fmt: skip
    refused(
        lambda: actions.advance(project, Stage.STARTED, Evidence(date(2025, 6, 1), note="已开工"),
                                acting_user=user),
        Refused, "开工须上传施工许可证或开工现场照片",
    )  # fmt: skip
    actions.advance(project, Stage.STARTED, Evidence(date(2025, 6, 1), files=[pdf("许可证.pdf")]),
                    acting_user=user)  # fmt: skip
    refused(
        lambda: actions.advance(project, Stage.PRODUCING, Evidence(date(2025, 6, 20)),
                                acting_user=user),
        Refused, "投产须上传试生产证明材料或填写试生产情况",
    )  # fmt: skip
    change = actions.advance(
        project,
        Stage.PRODUCING,
        Evidence(date(2025, 6, 20), note="一期产线试生产"),
        acting_user=user,
    )
    assert change.evidence == {"note": "一期产线试生产"}


def test_another_zone_and_an_enterprise_user_cannot_move_the_project(world):
    project = world["project"]
    refused(
        lambda: actions.advance(project, Stage.RESERVE, Evidence(date(2025, 2, 1)),
                                acting_user=world["users"]["west_zone"]),
        PermissionDenied, "该项目不在您可修改的范围内",
    )  # fmt: skip


def test_pause_and_terminate_need_a_reason_and_resume_returns_to_the_stage(world):
    project, user = to_negotiating(world), world["users"]["zone"]
    refused(
        lambda: actions.pause(project, reason=" ", occurred_on=date(2025, 4, 1), acting_user=user),
        Refused, "暂缓须填写原因",
    )  # fmt: skip
    actions.pause(project, reason="投资方资金调整", occurred_on=date(2025, 4, 1), acting_user=user)
    back = actions.resume(project, note="资金落实", occurred_on=date(2025, 5, 1), acting_user=user)
    assert (back.from_stage, back.to_stage) == (Stage.PAUSED, Stage.NEGOTIATING)
    end = actions.terminate(project, reason="投资方落户外省", occurred_on=date(2025, 6, 1),
                            acting_user=user)  # fmt: skip
    assert end.evidence == {"reason": "投资方落户外省"}
    refused(
        lambda: actions.pause(project, reason="再议", occurred_on=date(2025, 6, 2),
                              acting_user=user),
        Refused, "项目当前为「终止」,不能暂缓",
    )  # fmt: skip


def test_an_undo_appends_a_reversing_entry_and_is_refused_after_a_later_transition(world):
    project, user = to_negotiating(world), world["users"]["zone"]
    signed = sign(world)
    undo = actions.undo_change(signed, acting_user=user)
    project.refresh_from_db()
    assert (project.stage, project.total_investment) == (Stage.NEGOTIATING, None)
    assert (undo.kind, undo.reverses, undo.from_stage, undo.to_stage) == (
        "undo", signed, Stage.SIGNED, Stage.NEGOTIATING,
    )  # fmt: skip
    assert (undo.amount_before, undo.amount_after) == (Decimal("52000"), None)
    assert StageChange.objects.filter(project=project).count() == 4  # nothing removed
    refused(lambda: actions.undo_change(signed, acting_user=user), Refused, "该阶段变更已撤销")
    refused(lambda: actions.undo_change(undo, acting_user=user), Refused, "撤销记录本身不能再撤销")
    first = project.stage_changes.get(to_stage=Stage.RESERVE)
    refused(
        lambda: actions.undo_change(first, acting_user=user),
        Refused, "之后项目已有新的阶段变更,不能撤销",
    )  # fmt: skip


def test_no_action_updates_or_deletes_a_history_entry():
    names = [name for name in dir(actions) if "delete" in name or "edit" in name]
    assert names == []


def test_a_fund_arrival_needs_its_proof(world):
    project, user = world["project"], world["users"]["zone"]
    refused(
        lambda: actions.record_fund_arrival(project, arrived_on=date(2025, 5, 1),
                                            amount=Decimal(100), proof=None, acting_user=user),
        Refused, "请上传资金到位证明",
    )  # fmt: skip
    arrival = actions.record_fund_arrival(
        project, arrived_on=date(2025, 5, 1), amount=Decimal(100), proof=pdf("回单.pdf"),
        acting_user=user,
    )  # fmt: skip
    assert Attachment.objects.of(arrival).get().file_name == "回单.pdf"


def test_a_blocking_problem_is_a_zs_item_given_to_its_unit_that_escalates(world):
    project, user, units = world["project"], world["users"]["zone"], world["units"]
    item = actions.open_blocking_problem(
        project, title="用地指标未落实", description="需市自然资源局协调用地指标",
        level=Level.DISTRICT, lead_unit=units["land"], supporting_units=[units["power"]],
        deadline=date(2025, 7, 10), acting_user=user,
    )  # fmt: skip
    assert (item.number, item.state, item.lead_unit, item.zone) == (
        "ZS-2025-0001", ItemState.ASSIGNED, units["land"], project.zone,
    )  # fmt: skip
    assert list(item.supporting_units.all()) == [units["power"]]
    assert list(actions.problems_of(project)) == [item]
    # the lights job's call: one open problem already, so none is added
    assert actions.open_blocking_problem_if_none(project, title="红灯", acting_user=user) is None
    # overdue by 3 working days on 2025-07-15: red, raised to 市级, on the board
    supervision.escalate(acting_user=None, today=date(2025, 7, 15))
    item.refresh_from_db()
    assert (item.light, item.level, item.on_board) == (Light.RED, Level.CITY, True)
    supervision.accept(item, acting_user=world["users"]["land_clerk"])
    supervision.complete(item, note="指标已下达", acting_user=world["users"]["land_clerk"])
    second = actions.open_blocking_problem_if_none(project, title="红灯:开工逾期", acting_user=user)
    assert second is not None
    assert (second.number, second.lead_unit) == ("ZS-2025-0002", units["committee"])


def test_only_the_person_in_charge_or_the_office_registers_a_problem(world):
    refused(
        lambda: actions.open_blocking_problem(
            world["project"], title="x", level=Level.DISTRICT,
            acting_user=world["users"]["west_zone"],
        ),
        PermissionDenied, "只有项目负责人或项目所在开发区",
    )  # fmt: skip
