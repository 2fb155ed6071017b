"""Every transition of a supervised item, and every refusal leaving everything as it was."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from kaifaqu.audit.log import snapshot
from kaifaqu.audit.models import DomainEvent, ObjectChange
from kaifaqu.supervision import actions
from kaifaqu.supervision.actions import Refused
from kaifaqu.supervision.choices import ItemState, Level
from kaifaqu.supervision.events import LISTENERS
from kaifaqu.supervision.models import Extension, ItemKind, LogEntry, SupervisedItem

pytestmark = pytest.mark.django_db


def state_of_everything() -> tuple[Any, ...]:
    items = [snapshot(item) for item in SupervisedItem._base_manager.order_by("pk")]
    extensions = [snapshot(e) for e in Extension.objects.order_by("pk")]
    return (
        items,
        extensions,
        LogEntry._base_manager.count(),
        ObjectChange.objects.count(),
        DomainEvent.objects.count(),
    )


def refused(call: Any, error: type[Exception], message: str) -> None:
    before = state_of_everything()
    with pytest.raises(error, match=message):
        call()
    assert state_of_everything() == before


def test_items_are_numbered_per_kind_and_year_with_the_sla_deadline(world):
    item = world["item"]
    # SQ: 10 working days from Friday 26 September 2025, across 国庆 (9/28 and 10/11 worked)
    assert (item.number, item.deadline, item.deadline_official) == (
        "SQ-2025-0001",
        date(2025, 10, 16),
        True,
    )
    second = actions.create_item(
        kind=item.kind, title="第二项", region=item.region, level=Level.DISTRICT,
        opened=date(2025, 12, 1), acting_user=world["users"]["east"],
    )  # fmt: skip
    task = actions.create_item(
        kind=ItemKind.objects.get(code="RW"), title="6月底前出台政策", region=item.region,
        level=Level.CITY, opened=date(2026, 1, 5), deadline=date(2026, 6, 30),
        acting_user=world["users"]["province"],
    )  # fmt: skip
    assert second.number == "SQ-2025-0002"
    assert (task.number, task.deadline) == ("RW-2026-0001", date(2026, 6, 30))
    assert [e.kind for e in LogEntry.objects.filter(item=item)] == ["created"]


def test_a_deadline_in_a_year_without_a_calendar_is_marked(world):
    item = actions.create_item(
        kind=world["item"].kind, title="远期事项", region=world["item"].region,
        level=Level.DISTRICT, opened=date(2030, 9, 30), acting_user=world["users"]["east"],
    )  # fmt: skip
    assert (item.deadline, item.deadline_official) == (date(2030, 10, 14), False)


def test_registering_outside_ones_region_is_refused(world):
    refused(
        lambda: actions.create_item(
            kind=world["item"].kind, title="越权登记", region=world["item"].region,
            level=Level.DISTRICT, acting_user=world["users"]["west"],
        ),
        PermissionDenied, "数据范围",
    )  # fmt: skip


def test_the_whole_flow_with_an_approved_extension(world):
    item, units, users = world["item"], world["units"], world["users"]
    actions.assign(
        item, lead_unit=units["committee"], supporting_units=[units["east_bureau"]],
        acting_user=users["east"], note="请于时限内办结",
    )  # fmt: skip
    item.refresh_from_db()
    assert (item.state, item.lead_unit) == (ItemState.ASSIGNED, units["committee"])
    assert list(item.supporting_units.all()) == [units["east_bureau"]]
    actions.accept(item, acting_user=users["clerk"])
    extension = actions.request_extension(
        item, until=date(2025, 10, 31), reason="需省电力公司配合", acting_user=users["clerk"]
    )
    assert extension.previous_deadline == date(2025, 10, 16)
    actions.decide_extension(item, approve=True, note="同意", acting_user=users["east"])
    item.refresh_from_db()
    assert item.deadline == date(2025, 10, 31)
    actions.complete(item, note="已完成增容", acting_user=users["clerk"])
    item.refresh_from_db()
    assert item.state == ItemState.DONE
    assert item.closed is not None
    assert list(LogEntry.objects.filter(item=item).values_list("kind", "state")) == [
        ("created", "registered"),
        ("assigned", "assigned"),
        ("accepted", "in_progress"),
        ("extension_requested", "in_progress"),
        ("extension_approved", "in_progress"),
        ("done", "done"),
    ]
    # the item: created, assigned, accepted, deadline moved, done; the extension: asked, decided
    assert ObjectChange.objects.filter(object_repr__startswith="SQ-2025-0001").count() == 7


def test_refused_extension_keeps_the_deadline(world):
    item, units, users = world["item"], world["units"], world["users"]
    actions.assign(item, lead_unit=units["committee"], acting_user=users["east"])
    actions.request_extension(
        item, until=date(2025, 11, 30), reason="理由", acting_user=users["clerk"]
    )
    extension = actions.decide_extension(item, approve=False, acting_user=users["province"])
    item.refresh_from_db()
    assert (extension.state, item.deadline) == ("refused", date(2025, 10, 16))


def test_a_unit_returns_an_item_it_does_not_own_and_it_is_dispatched_again(world):
    item, units, users = world["item"], world["units"], world["users"]
    actions.assign(item, lead_unit=units["committee"], acting_user=users["east"])
    refused(
        lambda: actions.return_item(item, reason="  ", acting_user=users["clerk"]),
        Refused, "请填写退回理由",
    )  # fmt: skip
    actions.return_item(item, reason="属供电企业职责", acting_user=users["clerk"])
    item.refresh_from_db()
    assert (item.state, item.lead_unit) == (ItemState.RETURNED, None)
    entry = LogEntry.objects.filter(item=item).last()
    assert (entry.kind, entry.unit, entry.note) == (
        "returned",
        units["committee"],
        "属供电企业职责",
    )
    actions.assign(item, lead_unit=units["east_bureau"], acting_user=users["east"])
    item.refresh_from_db()
    assert (item.state, item.lead_unit) == (ItemState.ASSIGNED, units["east_bureau"])


def test_every_wrong_person_and_wrong_state_is_refused_with_nothing_changed(world):
    item, units, users = world["item"], world["units"], world["users"]
    # before dispatch: no unit may act, and only a supervisor of the item's region dispatches
    refused(lambda: actions.accept(item, acting_user=users["clerk"]), PermissionDenied, "牵头单位")
    refused(
        lambda: actions.assign(item, lead_unit=units["committee"], acting_user=users["west"]),
        PermissionDenied, "督办人员",
    )  # fmt: skip
    refused(
        lambda: actions.assign(item, lead_unit=units["committee"], acting_user=users["clerk"]),
        PermissionDenied, "督办人员",
    )  # fmt: skip
    refused(
        lambda: actions.assign(item, lead_unit=units["committee"], acting_user=users["leader"]),
        PermissionDenied, "督办人员",
    )  # fmt: skip
    refused(
        lambda: actions.assign(item, lead_unit=units["west_bureau"], acting_user=users["zone"]),
        Refused, "不在您的范围内",
    )  # fmt: skip
    actions.assign(item, lead_unit=units["committee"], acting_user=users["east"])
    # dispatched: not twice, not done before it is signed for, not by another unit's member
    refused(
        lambda: actions.assign(item, lead_unit=units["committee"], acting_user=users["east"]),
        Refused, "不能派单",
    )  # fmt: skip
    refused(
        lambda: actions.complete(item, note="完成", acting_user=users["clerk"]),
        Refused, "不能办结",
    )  # fmt: skip
    refused(lambda: actions.accept(item, acting_user=users["west"]), PermissionDenied, "牵头单位")
    refused(lambda: actions.accept(item, acting_user=users["east"]), PermissionDenied, "牵头单位")
    refused(
        lambda: actions.urge(item, note="督办", acting_user=users["clerk"]),
        PermissionDenied, "督办人员",
    )  # fmt: skip
    refused(lambda: actions.urge(item, note=" ", acting_user=users["east"]), Refused, "督办意见")
    refused(
        lambda: actions.request_extension(
            item, until=date(2025, 10, 10), reason="早于时限", acting_user=users["clerk"]
        ),
        Refused, "须晚于",
    )  # fmt: skip
    refused(
        lambda: actions.decide_extension(item, approve=True, acting_user=users["east"]),
        Refused, "没有待审批",
    )  # fmt: skip
    actions.request_extension(
        item, until=date(2025, 10, 31), reason="理由", acting_user=users["clerk"]
    )
    refused(
        lambda: actions.request_extension(
            item, until=date(2025, 11, 30), reason="再次", acting_user=users["clerk"]
        ),
        Refused, "已有待审批",
    )  # fmt: skip
    refused(
        lambda: actions.decide_extension(item, approve=True, acting_user=users["clerk"]),
        PermissionDenied, "督办人员",
    )  # fmt: skip
    refused(
        lambda: actions.decide_extension(item, approve=True, acting_user=users["west"]),
        PermissionDenied, "督办人员",
    )  # fmt: skip
    actions.accept(item, acting_user=users["clerk"])
    refused(lambda: actions.accept(item, acting_user=users["clerk"]), Refused, "不能签收")
    actions.complete(item, note="完成", acting_user=users["clerk"])
    for call in (
        lambda: actions.return_item(item, reason="晚了", acting_user=users["clerk"]),
        lambda: actions.urge(item, note="督办", acting_user=users["east"]),
        lambda: actions.complete(item, note="再办结", acting_user=users["clerk"]),
    ):
        refused(call, Refused, "已办结")


def test_urging_logs_an_entry_and_tells_the_units_once_committed(
    world, django_capture_on_commit_callbacks
):
    item, units, users = world["item"], world["units"], world["users"]
    actions.assign(item, lead_unit=units["committee"], acting_user=users["east"])
    delivered: list[Any] = []
    LISTENERS.append(delivered.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            entry = actions.urge(item, note="请加快办理", acting_user=users["province"])
    finally:
        LISTENERS.remove(delivered.append)
    assert (entry.kind, entry.note, entry.user) == ("urged", "请加快办理", users["province"])
    event = DomainEvent.objects.filter(kind="supervision_urged").get()
    assert event.payload == {"items": [item.pk], "units": [units["committee"].pk]}
    assert [(e.kind, e.item_ids, e.unit_ids) for e in delivered] == [
        ("urged", (item.pk,), (units["committee"].pk,))
    ]
