"""The whole flow of a request, every refused transition leaving everything as it was, 重办
after 不满意, and the automatic 办结 by the clock."""

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from kaifaqu.audit.log import snapshot
from kaifaqu.audit.models import DomainEvent, ObjectChange
from kaifaqu.notifications.models import Notification
from kaifaqu.servicerequests import actions
from kaifaqu.servicerequests.choices import Stage
from kaifaqu.servicerequests.models import RequestRules, ServiceRequest
from kaifaqu.supervision.actions import Refused, escalate
from kaifaqu.supervision.models import LogEntry, SupervisedItem

pytestmark = pytest.mark.django_db

# Monday 1 December 2025; the working days after it are plain weekdays until the new year.
MONDAY = "2025-12-01 09:00 +08:00"


def state_of_everything() -> tuple[Any, ...]:
    return (
        [snapshot(r) for r in ServiceRequest._base_manager.order_by("pk")],
        [snapshot(i) for i in SupervisedItem._base_manager.order_by("pk")],
        LogEntry._base_manager.count(),
        ObjectChange.objects.count(),
        DomainEvent.objects.count(),
        Notification.objects.count(),
    )


def refused(call: Any, error: type[Exception], message: str) -> None:
    before = state_of_everything()
    with pytest.raises(error, match=message):
        call()
    assert state_of_everything() == before


def filed(world: dict[str, Any], text: str = "厂区用电增容审批一直没有答复") -> ServiceRequest:
    return actions.file_request(
        category="utilities", description=text, acting_user=world["users"]["firm"]
    )


def fresh(request: ServiceRequest) -> ServiceRequest:
    return ServiceRequest._base_manager.select_related("item").get(pk=request.pk)


def replied(world: dict[str, Any]) -> ServiceRequest:
    users, units = world["users"], world["units"]
    request = filed(world)
    actions.dispatch(request, lead_unit=units["tax"], acting_user=users["dispatcher"])
    actions.accept(fresh(request), acting_user=users["clerk"])
    return actions.reply(fresh(request), text="已协调供电公司办理", acting_user=users["clerk"])


@time_machine.travel(MONDAY, tick=False)
def test_the_whole_flow_from_the_portal_to_a_satisfied_rating(
    world, django_capture_on_commit_callbacks
):
    users, units = world["users"], world["units"]
    request = filed(world)
    item = request.item
    # 水电气 defaults to 简单: 3 working days from Monday
    assert (item.number, request.complexity, request.channel, item.deadline, item.zone) == (
        "SQ-2025-0001", "simple", "portal", date(2025, 12, 4), world["zones"]["east"],
    )  # fmt: skip
    assert (fresh(request).stage, request.enterprise, request.filed_by) == (
        Stage.REGISTERED, world["textile"], users["firm"],
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        actions.dispatch(
            request, lead_unit=units["tax"], supporting_units=[units["land"]],
            complexity="normal", note="请税务局牵头", acting_user=users["dispatcher"],
        )  # fmt: skip
    request = fresh(request)
    # 一般: 10 working days from the dispatch
    assert (request.stage, request.complexity, request.item.deadline) == (
        Stage.ASSIGNED, "normal", date(2025, 12, 15),
    )  # fmt: skip
    told = Notification.objects.filter(kind="assignment").values_list(
        "recipient__username", flat=True
    )
    assert sorted(told) == ["land_clerk", "tax_clerk"]
    actions.accept(request, acting_user=users["clerk"])
    assert fresh(request).stage == Stage.IN_PROGRESS
    actions.reply(fresh(request), text="已协调供电公司,本周内完成增容", acting_user=users["clerk"])
    request = fresh(request)
    assert (request.stage, request.reply, request.item.closed) == (
        Stage.REPLIED, "已协调供电公司,本周内完成增容", date(2025, 12, 1),
    )  # fmt: skip
    assert Notification.objects.get(kind="reply").recipient == users["firm"]
    actions.rate(request, rating="satisfied", note="很及时", acting_user=users["firm"])
    request = fresh(request)
    assert (request.stage, request.rating, request.rating_note, request.reopened) == (
        Stage.CLOSED, "satisfied", "很及时", 0,
    )  # fmt: skip
    kinds = list(request.item.log.values_list("kind", flat=True))
    assert kinds == ["created", "assigned", "accepted", "done"]
    assert ServiceRequest.objects.with_stage().get(pk=request.pk).current_stage == Stage.CLOSED


@time_machine.travel(MONDAY, tick=False)
def test_unsatisfied_reopens_once_then_goes_to_the_supervisor(world):
    users, units = world["users"], world["units"]
    request = replied(world)
    with time_machine.travel("2025-12-03 10:00 +08:00", tick=False):
        actions.rate(request, rating="unsatisfied", note="增容仍未完成", acting_user=users["firm"])
    request = fresh(request)
    item = request.item
    # 重办 with the same unit: 3 working days (简单) from Wednesday
    assert (request.stage, request.reopened, request.rating, item.state) == (
        Stage.IN_PROGRESS, 1, "", "in_progress",
    )  # fmt: skip
    assert (item.lead_unit, item.deadline, item.closed, item.level) == (
        units["tax"], date(2025, 12, 8), None, 1,
    )  # fmt: skip
    assert item.log.last().kind == "reopened"
    actions.reply(request, text="已完成增容", acting_user=users["clerk"])
    actions.rate(fresh(request), rating="unsatisfied", note="仍不满意", acting_user=users["firm"])
    request = fresh(request)
    item = request.item
    # the second 不满意 is the rating, and the item goes back to the supervisors one level up,
    # on the board, to dispatch anew
    assert (request.stage, request.reopened, request.rating, item.state, item.lead_unit) == (
        Stage.REGISTERED, 2, "unsatisfied", "registered", None,
    )  # fmt: skip
    assert (item.level, item.on_board) == (2, True)
    actions.dispatch(request, lead_unit=units["land"], acting_user=users["dispatcher"])
    actions.accept(fresh(request), acting_user=users["land_clerk"])
    actions.reply(fresh(request), text="市级协调完成", acting_user=users["land_clerk"])
    assert (fresh(request).stage, fresh(request).rating) == (Stage.CLOSED, "unsatisfied")
    refused(
        lambda: actions.rate(fresh(request), rating="fairly", acting_user=users["firm"]),
        Refused, "不能评价",
    )  # fmt: skip


def test_refused_transitions_change_nothing(world):
    users, units = world["users"], world["units"]
    request = filed(world)
    # wrong state: accept, reply or rate before dispatch
    refused(
        lambda: actions.accept(fresh(request), acting_user=users["clerk"]),
        PermissionDenied,
        "牵头单位",
    )
    refused(
        lambda: actions.rate(fresh(request), rating="satisfied", acting_user=users["firm"]),
        Refused,
        "不能评价",
    )
    # a supervisor of another city, a unit member and the enterprise cannot dispatch
    for who in ("west", "clerk", "firm"):
        refused(
            lambda who=who: actions.dispatch(
                fresh(request), lead_unit=units["tax"], acting_user=users[who]
            ),
            PermissionDenied, "督办人员",
        )  # fmt: skip
    actions.dispatch(request, lead_unit=units["tax"], acting_user=users["dispatcher"])
    # dispatching twice; the wrong unit signing or replying
    refused(
        lambda: actions.dispatch(
            fresh(request), lead_unit=units["land"], acting_user=users["dispatcher"]
        ),
        Refused,
        "不能派单",
    )
    refused(
        lambda: actions.accept(fresh(request), acting_user=users["land_clerk"]),
        PermissionDenied,
        "牵头单位",
    )
    refused(
        lambda: actions.reply(fresh(request), text="答复", acting_user=users["clerk"]),
        Refused,
        "不能办结",
    )
    actions.accept(fresh(request), acting_user=users["clerk"])
    refused(
        lambda: actions.reply(fresh(request), text="答复", acting_user=users["land_clerk"]),
        PermissionDenied,
        "牵头单位",
    )
    refused(
        lambda: actions.reply(fresh(request), text="  ", acting_user=users["clerk"]),
        Refused,
        "办理结果",
    )
    actions.reply(fresh(request), text="已办理", acting_user=users["clerk"])
    # someone else's request; the dispatcher of a portal request; 不满意 without a reason
    refused(
        lambda: actions.rate(fresh(request), rating="satisfied", acting_user=users["other_firm"]),
        PermissionDenied,
        "只有提出诉求的企业",
    )
    refused(
        lambda: actions.rate(fresh(request), rating="satisfied", acting_user=users["dispatcher"]),
        PermissionDenied,
        "只有提出诉求的企业",
    )
    refused(
        lambda: actions.rate(fresh(request), rating="unsatisfied", acting_user=users["firm"]),
        Refused,
        "原因",
    )
    actions.rate(fresh(request), rating="satisfied", acting_user=users["firm"])
    refused(
        lambda: actions.rate(fresh(request), rating="fairly", acting_user=users["firm"]),
        Refused,
        "不能评价",
    )


def test_only_enterprise_users_file_in_the_portal_and_only_staff_register_calls(world):
    users = world["users"]
    refused(
        lambda: actions.file_request(
            category="land", description="用地", acting_user=users["dispatcher"]
        ),
        PermissionDenied,
        "企业用户",
    )
    refused(
        lambda: actions.register_call(
            category="land", description="用地", caller_name="张三", caller_phone="13800000000",
            zone=world["zones"]["east"], acting_user=users["firm"],
        ),
        PermissionDenied, "热线",
    )  # fmt: skip
    refused(
        lambda: actions.register_call(
            category="land", description="用地指标", caller_name="张三", caller_phone="13800000000",
            enterprise=world["textile"], acting_user=users["west"],
        ),
        PermissionDenied, "数据范围",
    )  # fmt: skip
    refused(
        lambda: actions.file_request(category="land", description=" ", acting_user=users["firm"]),
        Refused,
        "诉求内容",
    )


def test_a_hotline_call_is_idempotent_on_its_external_reference(world):
    users = world["users"]

    def push() -> tuple[ServiceRequest, bool]:
        return actions.register_call(
            category="labour", description="招工困难,请求协助对接人社部门",
            caller_name="李四", caller_phone="13900000000", zone=world["zones"]["east"],
            source="12345", external_ref="GD-2025-0001", acting_user=users["dispatcher"],
        )  # fmt: skip

    first, created = push()
    assert (created, first.channel, first.enterprise, first.complexity) == (
        True,
        "hotline",
        None,
        "normal",
    )
    before = state_of_everything()
    again, created = push()
    assert (created, again.pk) == (False, first.pk)
    assert state_of_everything() == before
    # the same reference from another system is another request
    other, created = actions.register_call(
        category="labour", description="招工困难", caller_name="李四", caller_phone="139",
        zone=world["zones"]["east"], source="市长信箱", external_ref="GD-2025-0001",
        acting_user=users["dispatcher"],
    )  # fmt: skip
    assert created
    assert other.pk != first.pk
    # a reference of a request outside the caller's scope is refused, not shown
    refused(
        lambda: actions.register_call(
            category="labour", description="招工", caller_name="王五", caller_phone="137",
            zone=world["zones"]["west"], source="12345", external_ref="GD-2025-0001",
            acting_user=users["west"],
        ),
        Refused, "外部编号",
    )  # fmt: skip


def test_unrated_requests_close_by_the_clock_and_stay_out_of_the_rating(world):
    with time_machine.travel(MONDAY, tick=False):
        request = replied(world)
    RequestRules.objects.update(rating_working_days=5)
    # replied Monday 1 December: on Friday the 5th the 4th working day has passed, not the 5th
    assert actions.auto_close(acting_user=None, today=date(2025, 12, 5)) == 0
    assert fresh(request).stage == Stage.REPLIED
    assert actions.auto_close(acting_user=None, today=date(2025, 12, 8)) == 1
    request = fresh(request)
    assert (request.stage, request.auto_closed, request.rating) == (Stage.CLOSED, True, "")
    assert actions.auto_close(acting_user=None, today=date(2025, 12, 9)) == 0
    refused(
        lambda: actions.rate(
            fresh(request), rating="satisfied", acting_user=world["users"]["firm"]
        ),
        Refused,
        "不能评价",
    )


@time_machine.travel(MONDAY, tick=False)
def test_a_request_not_signed_for_within_the_rules_days_is_escalated(world):
    rules = RequestRules.current()
    rules.accept_working_days = 2
    rules.save()
    users, units = world["users"], world["units"]
    request = filed(world)
    actions.dispatch(request, lead_unit=units["tax"], acting_user=users["dispatcher"])
    item = fresh(request).item
    assert (item.accept_deadline, item.deadline) == (date(2025, 12, 3), date(2025, 12, 4))
    on_time = escalate(acting_user=None, today=date(2025, 12, 3))
    assert on_time == {"逾期未签收1日": 0, "逾期1日": 0, "逾期3日": 0}
    late = escalate(acting_user=None, today=date(2025, 12, 4))
    assert late == {"逾期未签收1日": 1, "逾期1日": 0, "逾期3日": 0}
    item.refresh_from_db()
    assert (item.light, item.accept_escalation_days, item.escalation_days) == ("yellow", 1, 0)
    # signed for late, it then runs against its handling deadline only
    actions.accept(fresh(request), acting_user=users["clerk"])
    assert escalate(acting_user=None, today=date(2025, 12, 5)) == {
        "逾期未签收1日": 0, "逾期1日": 1, "逾期3日": 0,
    }  # fmt: skip
