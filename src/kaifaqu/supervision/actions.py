"""Writes of supervision: every transition is an action with audit, a 督办 log entry and an event.

Who may do what:
- a *supervisor* (督办人员): a business user whose region or zones hold the item, with a role
  that allows "change" (``SupervisedItem.objects.supervised_by``): registers, dispatches (派单),
  urges (督办), decides 延期 requests;
- a *member of the lead unit* (granted by the security administrator): signs for the item (签收),
  returns it (退回), completes it (办结), asks for more time (申请延期).
Anything else is refused (``PermissionDenied`` for the wrong person, ``Refused`` for the wrong
state or input) and changes nothing.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, Value, When
from django.db.models.functions import Least
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.log import log_bulk
from kaifaqu.audit.writes import (
    audited_bulk_create,
    audited_bulk_update,
    audited_save,
    save_decided,
)
from kaifaqu.catalog.models import Region
from kaifaqu.core.bulk import insert_select
from kaifaqu.supervision.choices import (
    LIGHT_ORDER,
    OPEN_STATES,
    RUNNING_STATES,
    Clock,
    ExtensionState,
    ItemState,
    Level,
    Light,
    LogKind,
)
from kaifaqu.supervision.events import SupervisionEvent, emit, emit_all
from kaifaqu.supervision.models import (
    EscalationRule,
    Extension,
    ItemKind,
    LogEntry,
    SupervisedItem,
)
from kaifaqu.units.models import Membership, Unit
from kaifaqu.workdays.days import deadline_after, overdue_cutoff


class Refused(Exception):
    """A transition refused for the item's state or the input; the message is for the clerk."""


def _user(acting_user: ActingUser) -> User | None:
    return None if isinstance(acting_user, AnonymousUser) else acting_user


def _locked(item: SupervisedItem) -> SupervisedItem:
    """The item as stored now, locked for the transition (PostgreSQL; SQLite writes in turn)."""
    return SupervisedItem._base_manager.select_for_update().get(pk=item.pk)


def _require_state(item: SupervisedItem, states: Iterable[str], doing: str) -> None:
    if item.state not in states:
        raise Refused(f"事项{item.number}当前为「{item.get_state_display()}」,不能{doing}")


def _require_supervisor(item: SupervisedItem, user: ActingUser, doing: str) -> None:
    if not SupervisedItem.objects.supervised_by(user).filter(pk=item.pk).exists():
        raise PermissionDenied(f"只有事项所在区域的督办人员可以{doing}")


def _require_lead_member(item: SupervisedItem, user: ActingUser, doing: str) -> Unit:
    unit = item.lead_unit
    if (
        unit is None
        or isinstance(user, AnonymousUser)
        or not Membership.objects.filter(unit=unit, user=user).exists()
    ):
        raise PermissionDenied(f"只有牵头单位{f'「{unit}」' if unit else ''}的成员可以{doing}")
    return unit


def _required_text(text: str, what: str) -> str:
    if not text.strip():
        raise Refused(f"请填写{what}")
    return text.strip()


def _record(
    item: SupervisedItem,
    kind: LogKind,
    *,
    acting_user: ActingUser,
    unit: Unit | None = None,
    note: str = "",
    tell: Iterable[Unit | None] = (),
) -> LogEntry:
    entry = LogEntry.objects.create(
        item=item,
        time=timezone.now(),
        kind=kind,
        user=_user(acting_user),
        unit=unit,
        state=item.state,
        note=note,
    )
    emit(
        SupervisionEvent(
            kind=kind,
            item_ids=(item.pk,),
            unit_ids=tuple(u.pk for u in tell if u is not None),
            summary=f"{item.number} {kind.label}" + (f":{note}" if note else ""),
        ),
        acting_user=acting_user,
        province_code=item.province_code,
    )
    return entry


def create_item(
    *,
    kind: ItemKind,
    title: str,
    region: Region,
    level: Level,
    acting_user: ActingUser,
    zone: Any = None,
    opened: date | None = None,
    deadline: date | None = None,
    description: str = "",
    subject: models.Model | None = None,
    filed_by_subject: bool = False,
) -> SupervisedItem:
    """Register an item, numbered per kind and year; its deadline is given or, where the kind
    has an SLA, that many working days after it was opened.

    ``filed_by_subject``: the registrar is the one the item is about (an enterprise filing its
    own request in its portal), outside any office's scope; the caller has checked that it may
    file, so the item is not required to lie in the registrar's scope."""
    opened = opened or timezone.localdate()
    official = True
    if deadline is None and kind.sla_working_days:
        computed = deadline_after(opened, kind.sla_working_days)
        deadline, official = computed.date, computed.official
    with transaction.atomic():
        last = SupervisedItem._base_manager.filter(kind=kind, year=opened.year).aggregate(
            last=Max("sequence")
        )["last"]
        sequence = (last or 0) + 1
        item = SupervisedItem(
            number=f"{kind.code}-{opened.year}-{sequence:04d}",
            kind=kind,
            year=opened.year,
            sequence=sequence,
            title=title,
            description=description,
            region=region,
            zone=zone,
            level=level,
            opened=opened,
            deadline=deadline,
            deadline_official=official,
            created_by=_user(acting_user),
            subject_type=ContentType.objects.get_for_model(subject) if subject else None,
            subject_id=subject.pk if subject else None,
        )
        if filed_by_subject:
            save_decided(item, acting_user=acting_user)
        else:
            # the item must lie in the registrar's region or zones, else the save is undone
            audited_save(item, acting_user=acting_user)
        _record(item, LogKind.CREATED, acting_user=acting_user)
    return item


def set_subject(
    item: SupervisedItem, subject: models.Model, *, acting_user: ActingUser
) -> SupervisedItem:
    """Record the object the item is about, for a domain whose object is made after its item
    (a policy task points at its item, so the item exists first)."""
    item.subject_type = ContentType.objects.get_for_model(subject)
    item.subject_id = subject.pk
    return audited_save(item, acting_user=acting_user)


def assign(
    item: SupervisedItem,
    *,
    lead_unit: Unit,
    acting_user: ActingUser,
    supporting_units: Iterable[Unit] = (),
    note: str = "",
    accept_deadline: date | None = None,
) -> SupervisedItem:
    """派单: a supervisor gives the item to a lead unit (and supporting units), to be signed for
    by ``accept_deadline`` where the item's domain sets one (the 签收 rules escalate after it)."""
    supporting = [unit for unit in supporting_units if unit.pk != lead_unit.pk]
    with transaction.atomic():
        item = _locked(item)
        _require_supervisor(item, acting_user, "派单")
        _require_state(item, (ItemState.REGISTERED, ItemState.RETURNED), "派单")
        units = [lead_unit, *supporting]
        visible = Unit.objects.restrict(acting_user).filter(
            pk__in=[u.pk for u in units], active=True
        )
        if visible.count() != len({u.pk for u in units}):
            raise Refused("所选单位不在您的范围内或已停用")
        item.lead_unit, item.state = lead_unit, ItemState.ASSIGNED
        item.accept_deadline, item.accept_escalation_days = accept_deadline, 0
        audited_save(item, acting_user=acting_user, m2m={"supporting_units": supporting})
        _record(
            item, LogKind.ASSIGNED, acting_user=acting_user, unit=lead_unit, note=note, tell=units
        )
    return item


@dataclass(frozen=True)
class NewItem:
    """An item to register and dispatch at once (``create_assigned_items``)."""

    title: str
    region: Region
    level: Level
    lead_unit: Unit
    zone: Any = None
    opened: date | None = None
    deadline: date | None = None
    description: str = ""
    supporting_units: tuple[Unit, ...] = ()


def create_assigned_items(
    new: Iterable[NewItem], *, kind: ItemKind, acting_user: ActingUser
) -> list[SupervisedItem]:
    """``create_item`` then ``assign`` of each item, set-wise: the same rows, numbers, change
    log, 督办 log entries and events, in a number of queries that does not grow with the items.
    If any item or unit is outside the supervisor's scope, nothing is written."""
    specs = list(new)
    if not specs:
        return []
    today = timezone.localdate()
    with transaction.atomic():
        years = {(spec.opened or today).year for spec in specs}
        last = dict(
            SupervisedItem._base_manager.filter(kind=kind, year__in=years)
            .values_list("year")
            .annotate(last=Max("sequence"))
        )
        items = []
        for spec in specs:
            opened = spec.opened or today
            deadline, official = spec.deadline, True
            if deadline is None and kind.sla_working_days:
                computed = deadline_after(opened, kind.sla_working_days)
                deadline, official = computed.date, computed.official
            sequence = last[opened.year] = last.get(opened.year, 0) + 1
            items.append(
                SupervisedItem(
                    number=f"{kind.code}-{opened.year}-{sequence:04d}",
                    kind=kind,
                    year=opened.year,
                    sequence=sequence,
                    title=spec.title,
                    description=spec.description,
                    region=spec.region,
                    zone=spec.zone,
                    level=spec.level,
                    opened=opened,
                    deadline=deadline,
                    deadline_official=official,
                    created_by=_user(acting_user),
                )
            )
        audited_bulk_create(items, acting_user=acting_user)
        _record_all([(item, None, ()) for item in items], LogKind.CREATED, acting_user)
        supervised = SupervisedItem.objects.supervised_by(acting_user)
        if supervised.filter(pk__in=[item.pk for item in items]).count() != len(items):
            raise PermissionDenied("只有事项所在区域的督办人员可以派单")
        teams = [
            (spec.lead_unit, [u for u in spec.supporting_units if u.pk != spec.lead_unit.pk])
            for spec in specs
        ]
        wanted = {unit.pk for lead, supporting in teams for unit in (lead, *supporting)}
        visible = Unit.objects.restrict(acting_user).filter(pk__in=wanted, active=True)
        if visible.count() != len(wanted):
            raise Refused("所选单位不在您的范围内或已停用")
        for item, (lead, _) in zip(items, teams, strict=True):
            item.lead_unit, item.state = lead, ItemState.ASSIGNED
        audited_bulk_update(
            items,
            ["lead_unit", "state"],
            acting_user=acting_user,
            m2m={"supporting_units": {i.pk: s for i, (_, s) in zip(items, teams, strict=True)}},
        )
        _record_all(
            [
                (item, lead, [lead, *supporting])
                for item, (lead, supporting) in zip(items, teams, strict=True)
            ],
            LogKind.ASSIGNED,
            acting_user,
        )
    return items


def set_subjects(
    subjects: Iterable[tuple[SupervisedItem, models.Model]], *, acting_user: ActingUser
) -> list[SupervisedItem]:
    """``set_subject`` of many items at once."""
    items = []
    for item, subject in subjects:
        item.subject_type = ContentType.objects.get_for_model(subject)
        item.subject_id = subject.pk
        items.append(item)
    return audited_bulk_update(items, ["subject_type", "subject_id"], acting_user=acting_user)


def _record_all(
    entries: Iterable[tuple[SupervisedItem, Unit | None, Iterable[Unit | None]]],
    kind: LogKind,
    acting_user: ActingUser,
) -> list[LogEntry]:
    """``_record`` (without a note) of many items: each item's unit and the units to tell."""
    rows = list(entries)
    logged = []
    for item, unit, _ in rows:
        entry = LogEntry(
            item=item, time=timezone.now(), kind=kind, user=_user(acting_user), unit=unit,
            state=item.state,
        )  # fmt: skip
        entry.derive_fields()
        logged.append(entry)
    LogEntry.objects.bulk_create(logged)
    emit_all(
        [
            (
                SupervisionEvent(
                    kind=kind,
                    item_ids=(item.pk,),
                    unit_ids=tuple(u.pk for u in tell if u is not None),
                    summary=f"{item.number} {kind.label}",
                ),
                item.province_code,
            )
            for item, _, tell in rows
        ],
        acting_user=acting_user,
    )
    return logged


def accept(item: SupervisedItem, *, acting_user: ActingUser) -> SupervisedItem:
    """签收: the lead unit takes the item on."""
    with transaction.atomic():
        item = _locked(item)
        unit = _require_lead_member(item, acting_user, "签收")
        _require_state(item, (ItemState.ASSIGNED,), "签收")
        item.state = ItemState.IN_PROGRESS
        audited_save(item, acting_user=acting_user)
        _record(item, LogKind.ACCEPTED, acting_user=acting_user, unit=unit)
    return item


def return_item(item: SupervisedItem, *, reason: str, acting_user: ActingUser) -> SupervisedItem:
    """退回: the lead unit says the item is not its own; it goes back to the dispatcher."""
    with transaction.atomic():
        item = _locked(item)
        unit = _require_lead_member(item, acting_user, "退回")
        _require_state(item, RUNNING_STATES, "退回")
        reason = _required_text(reason, "退回理由")
        item.lead_unit, item.state = None, ItemState.RETURNED
        save_decided(item, acting_user=acting_user)
        _record(item, LogKind.RETURNED, acting_user=acting_user, unit=unit, note=reason)
    return item


def complete(item: SupervisedItem, *, note: str, acting_user: ActingUser) -> SupervisedItem:
    """办结: the lead unit reports the item done."""
    with transaction.atomic():
        item = _locked(item)
        unit = _require_lead_member(item, acting_user, "办结")
        _require_state(item, (ItemState.IN_PROGRESS,), "办结")
        note = _required_text(note, "办理结果")
        item.state, item.closed = ItemState.DONE, timezone.localdate()
        audited_save(item, acting_user=acting_user)
        _record(item, LogKind.DONE, acting_user=acting_user, unit=unit, note=note)
    return item


def reopen(
    item: SupervisedItem,
    *,
    note: str,
    acting_user: ActingUser,
    deadline: date | None = None,
    to_dispatcher: bool = False,
) -> SupervisedItem:
    """重办: a done item opens again — with its lead unit, in progress, until ``deadline``; or,
    ``to_dispatcher``, back to the supervisors one level up, on the 督办 board, to dispatch anew.

    Who may reopen is the domain's rule (e.g. the enterprise that rated the reply 不满意): the
    caller checks it before calling, so no supervisor or member check is made here.
    """
    with transaction.atomic():
        item = _locked(item)
        _require_state(item, (ItemState.DONE,), "重办")
        note = _required_text(note, "重办原因")
        item.closed, item.light, item.escalation_days = None, Light.GREEN, 0
        if to_dispatcher:
            item.state, item.lead_unit, item.on_board = ItemState.REGISTERED, None, True
            item.level = min(item.level + 1, Level.PROVINCE)
        else:
            item.state = ItemState.IN_PROGRESS
        if deadline is not None:
            item.deadline, item.deadline_official = deadline, True
        units = [item.lead_unit, *item.supporting_units.all()]
        save_decided(item, acting_user=acting_user)
        _record(item, LogKind.REOPENED, acting_user=acting_user, note=note, tell=units)
    return item


def urge(item: SupervisedItem, *, note: str, acting_user: ActingUser) -> LogEntry:
    """督办: a supervisor's entry on an open item, sent to its units."""
    with transaction.atomic():
        item = _locked(item)
        _require_supervisor(item, acting_user, "督办")
        _require_state(item, OPEN_STATES, "督办")
        note = _required_text(note, "督办意见")
        units = [item.lead_unit, *item.supporting_units.all()]
        return _record(item, LogKind.URGED, acting_user=acting_user, note=note, tell=units)


def request_extension(
    item: SupervisedItem, *, until: date, reason: str, acting_user: ActingUser
) -> Extension:
    """申请延期: the lead unit asks for a later deadline; a supervisor decides."""
    with transaction.atomic():
        item = _locked(item)
        unit = _require_lead_member(item, acting_user, "申请延期")
        _require_state(item, RUNNING_STATES, "申请延期")
        reason = _required_text(reason, "延期理由")
        if item.deadline is None or until <= item.deadline:
            raise Refused(f"申请延至的日期须晚于现办理时限 {item.deadline or '(未定)'}")
        if item.extensions.filter(state=ExtensionState.PENDING).exists():
            raise Refused("已有待审批的延期申请")
        extension = Extension(
            item=item,
            unit=unit,
            requested_by=_user(acting_user),
            requested=timezone.now(),
            previous_deadline=item.deadline,
            proposed_deadline=until,
            reason=reason,
        )
        audited_save(extension, acting_user=acting_user)
        _record(
            item,
            LogKind.EXTENSION_REQUESTED,
            acting_user=acting_user,
            unit=unit,
            note=f"申请延至 {until}:{reason}",
        )
    return extension


def decide_extension(
    item: SupervisedItem, *, approve: bool, acting_user: ActingUser, note: str = ""
) -> Extension:
    """A supervisor approves (the deadline moves, the escalation starts again) or refuses."""
    with transaction.atomic():
        item = _locked(item)
        _require_supervisor(item, acting_user, "审批延期")
        extension = item.extensions.filter(state=ExtensionState.PENDING).first()
        if extension is None:
            raise Refused(f"事项{item.number}没有待审批的延期申请")
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by, extension.decided = _user(acting_user), timezone.now()
        extension.decision_note = note.strip()
        audited_save(extension, acting_user=acting_user)
        if approve:
            item.deadline, item.deadline_official = extension.proposed_deadline, True
            item.light, item.escalation_days, item.on_board = Light.GREEN, 0, False
            audited_save(item, acting_user=acting_user)
        kind = LogKind.EXTENSION_APPROVED if approve else LogKind.EXTENSION_REFUSED
        text = f"延至 {extension.proposed_deadline}" if approve else "维持原时限"
        _record(
            item,
            kind,
            acting_user=acting_user,
            note=f"{text}" + (f":{extension.decision_note}" if extension.decision_note else ""),
            tell=[extension.unit],
        )
    return extension


@dataclass(frozen=True)
class Overdue:
    """What the escalation rules apply to: the items' own deadlines (``ITEM_DEADLINES``), or
    rows of a domain attached to items that have due dates of their own (a policy task's period
    report). The rows' ``escalation_days`` keep the days of the strongest rule applied to each,
    so a rule reaches a row once per due date; what a rule does (the light, the warning, the
    level, the board) is done to the row's item, logged on it and told as its event."""

    model: type[models.Model]
    item: str  # the path from a row to its item; "" when the rows are the items
    due: str  # the row's due-date field
    awaited: Q = field(default_factory=Q)  # rows still awaited (a report not yet filed)
    label: str = ""  # what is overdue, as the log entries say it ("进展填报")

    def _prefix(self) -> str:
        return f"{self.item}__" if self.item else ""

    def items_where(self, rows: Q) -> Q:
        """The items (a condition on ``SupervisedItem``) of the rows meeting ``rows``."""
        if not self.item:
            return rows
        return Q(pk__in=self.model._base_manager.filter(rows).values(self.item))


ITEM_DEADLINES = Overdue(SupervisedItem, item="", due="deadline")


def escalate(
    *, acting_user: ActingUser, today: date | None = None, overdue: Overdue = ITEM_DEADLINES
) -> dict[str, int]:
    """Apply every escalation rule to the running items overdue by its working days (or whose
    ``overdue`` rows are), in the rules' order of days, each rule at most once per row and due
    date (the row keeps the days of the strongest rule applied), so a level is raised exactly
    once per raising rule; a light is never lowered.

    Set-wise whatever the number of items: per rule one INSERT … SELECT of its log entries (the
    level each entry names is the level after that rule), then one UPDATE that gives every
    reached item the outcome of all the rules it reached at once. Returns the number of items
    each rule reached, by its days."""
    today = today or timezone.localdate()
    now = timezone.now()
    rules = list(EscalationRule.objects.select_related("kind").order_by("overdue_days", "pk"))
    if overdue.item:
        # a domain's own rows (a period report) have one due date, the handling clock's
        rules = [rule for rule in rules if rule.clock == Clock.HANDLING]
    rows = _reaches(rules, today, overdue)
    reaches = [overdue.items_where(reached) for reached in rows]
    counts: dict[str, int] = {}
    with transaction.atomic():
        small = models.PositiveSmallIntegerField()  # the type of ``level``
        raised: Any = Value(0, output_field=small)
        for rule, reached in zip(rules, reaches, strict=True):
            if rule.raise_level:
                raised += Case(When(reached, then=Value(1)), default=Value(0), output_field=small)
            level = Least(F("level") + raised, Value(Level.PROVINCE), output_field=small)
            label = rule.label
            reached_now = _log_escalation(rule, reached, level, now, acting_user, overdue.label)
            counts[label] = counts.get(label, 0) + reached_now
        if any(counts.values()):
            _update_reached(rules, reaches, level, now, own_days=not overdue.item)
            if overdue.item:
                _mark_applied(overdue, rules, rows)
        log_bulk(
            SupervisedItem,
            label=f"督办事项{overdue.label}逾期升级",
            counts=counts,
            acting_user=acting_user,
        )
    return counts


def _reaches(rules: list[EscalationRule], today: date, overdue: Overdue) -> list[Q]:
    """For each rule (in order), the rows it reaches: of its kind, late by its days on its clock
    (running and still awaited past the due date, or for an item's own 签收 deadline still
    waiting to be signed for past it), not yet escalated by that many on that clock, and not
    reached by an earlier rule of the same clock and days."""
    item = overdue._prefix()
    due = []
    for rule in rules:
        cutoff = overdue_cutoff(today, rule.overdue_days)
        if rule.clock == Clock.ACCEPT:
            condition = Q(
                state=ItemState.ASSIGNED,
                accept_deadline__lt=cutoff,
                accept_escalation_days__lt=rule.overdue_days,
            )
        else:
            condition = overdue.awaited & Q(
                **{
                    f"{item}state__in": RUNNING_STATES,
                    f"{overdue.due}__lt": cutoff,
                    "escalation_days__lt": rule.overdue_days,
                }
            )
        if rule.kind_id is not None:
            condition &= Q(**{f"{item}kind_id": rule.kind_id})
        due.append(condition)
    reaches = []
    for i, (rule, condition) in enumerate(zip(rules, due, strict=True)):
        for earlier, taken in zip(rules[:i], due[:i], strict=True):
            if (earlier.clock, earlier.overdue_days) == (rule.clock, rule.overdue_days):
                condition &= ~taken
        reaches.append(condition)
    return reaches


def _strongest_first(rules: list[EscalationRule], reaches: list[Q]) -> list[tuple[Any, Q]]:
    return list(zip(rules, reaches, strict=True))[::-1]


def _update_reached(
    rules: list[EscalationRule], reaches: list[Q], level: Any, now: datetime, *, own_days: bool
) -> None:
    """One UPDATE: each reached item gets the strongest light of the rules it reached (never a
    weaker one than it has), its level raised once per raising rule, the board if any of them
    puts it there, and (``own_days``: the rules applied to its own deadlines) on each clock the
    days of the strongest rule it reached."""
    reached = list(zip(rules, reaches, strict=True))
    by_light = sorted(reached, key=lambda rr: LIGHT_ORDER.index(Light(rr[0].light)), reverse=True)
    changes: dict[str, Any] = {
        "light": Case(
            *(
                When(r & _not_stronger_than(rule.light), then=Value(rule.light))
                for rule, r in by_light
            ),
            default=F("light"),
        ),
        "escalated_at": now,
        "level": level,
    }
    if own_days:
        days_of = {Clock.HANDLING: "escalation_days", Clock.ACCEPT: "accept_escalation_days"}
        for clock, name in days_of.items():
            strongest = [(rule, r) for rule, r in reached[::-1] if rule.clock == clock]
            if strongest:
                changes[name] = _days_of_strongest(strongest, name)
    boarding = [r for rule, r in reached if rule.on_board]
    if boarding:
        changes["on_board"] = Case(
            When(reduce(operator.or_, boarding), then=Value(True)), default=F("on_board")
        )
    SupervisedItem._base_manager.filter(reduce(operator.or_, reaches)).update(**changes)


def _days_of_strongest(strongest: list[tuple[Any, Q]], name: str = "escalation_days") -> Case:
    return Case(
        *(When(r, then=Value(rule.overdue_days)) for rule, r in strongest),
        default=F(name),
        output_field=models.SmallIntegerField(),
    )


def _not_stronger_than(light: str) -> Q:
    """Items whose light is not stronger than ``light`` (every item, for the strongest)."""
    stronger = LIGHT_ORDER[LIGHT_ORDER.index(Light(light)) + 1 :]
    return ~Q(light__in=stronger) if stronger else Q()


def _mark_applied(overdue: Overdue, rules: list[EscalationRule], rows: list[Q]) -> None:
    """The reached rows keep the days of the strongest rule that reached them (each rule's
    rows as a subquery: an UPDATE's values cannot join the rows' items)."""
    rows_of = overdue.model._base_manager
    keyed = [Q(pk__in=rows_of.filter(reached).values("pk")) for reached in rows]
    rows_of.filter(reduce(operator.or_, keyed)).update(
        escalation_days=_days_of_strongest(_strongest_first(rules, keyed))
    )


def _log_escalation(
    rule: EscalationRule,
    reached: Q,
    level_after: Any,
    now: datetime,
    acting_user: ActingUser,
    overdue_label: str,
) -> int:
    """The log entries of the items one rule reaches, naming the level they are at after it
    (``level_after``), in one INSERT … SELECT, and one event naming the items and their units for
    the notifications. Returns the number of items."""
    items = SupervisedItem._base_manager.filter(reached).annotate(level_after=level_after)
    note = overdue_label + str(rule) + (",提级督办" if rule.raise_level else "")
    count = insert_select(
        LogEntry,
        items,
        {
            "item_id": F("pk"),
            "province_code": F("province_code"),
            "time": Value(now, output_field=models.DateTimeField()),
            "kind": Value(LogKind.ESCALATED.value),
            "unit_id": F("lead_unit_id"),
            "state": F("state"),
            "note": Case(
                *(
                    When(level_after=level, then=Value(f"{note}(现为{level.label})"))
                    for level in Level
                ),
                output_field=models.TextField(),
            ),
        },
    )
    if not count:
        return 0
    ids = tuple(items.order_by("pk").values_list("pk", flat=True))
    units = items.order_by("lead_unit_id").values_list("lead_unit_id", flat=True).distinct()
    emit(
        SupervisionEvent(
            kind=LogKind.ESCALATED,
            item_ids=ids,
            unit_ids=tuple(u for u in units if u is not None) if rule.warn_unit else (),
            summary=f"{note}:{len(ids)} 项",
            detail={"rule": rule.pk, "light": rule.light, "raise_level": rule.raise_level},
        ),
        acting_user=acting_user,
    )
    return count
