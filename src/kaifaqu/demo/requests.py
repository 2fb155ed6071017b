"""The demo province's enterprise service requests (企业诉求): a year of them, with their
supervised items and 督办 logs, and the two logins that show the flow from both ends.

The timings are drawn so the lists, the 督办 board and the 动态清零 statistics have something to
read: most requests are answered within their SLA and rated 满意 or 基本满意; some are answered
late, and those still open past their deadline carry the light, level and board place the default
escalation rules give them; some are rated 不满意 and were reopened once (重办); some were never
rated and closed automatically. Deadlines count working days on the calendar table
(``workdays``), from the dispatch day, as the actions do. Every description ends in (演示数据).

The ``enterprise`` login is a user of the first zone's first enterprise; the ``unit`` login is a
member of the first city's tax bureau, bound to no zone, so it sees only the work assigned to its
unit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.utils import timezone

from kaifaqu.access.models import Profile
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.servicerequests.choices import Category, Channel, Complexity, Rating
from kaifaqu.servicerequests.models import (
    CategoryDefault,
    ComplexitySla,
    RequestRules,
    ServiceRequest,
)
from kaifaqu.supervision.choices import Clock, ItemState, Level, Light, LogKind
from kaifaqu.supervision.models import EscalationRule, ItemKind, LogEntry, SupervisedItem
from kaifaqu.units.models import Membership, Unit
from kaifaqu.workdays.days import add_working_days, working_days_between
from kaifaqu.zones.models import Zone

DAYS = 365
PER_ENTERPRISES = 20  # one request a year for every this many enterprises
MINIMUM = 60
# category: share of the requests, what enterprises ask, which bureau (by alias) leads
CATEGORIES: dict[str, tuple[float, tuple[str, ...], str]] = {
    Category.LAND: (
        0.14,
        ("扩建项目用地指标迟迟未落实", "厂区用地规划调整审批进度缓慢", "标准地出让条件咨询"),
        "自然资源局",
    ),
    Category.LABOUR: (
        0.14,
        ("招工难,请求对接职业院校输送技术工人", "员工子女入学需要协调", "社保补贴申领遇到困难"),
        "商务局",
    ),
    Category.FINANCE: (
        0.13,
        ("流动资金贷款到期续贷困难", "申请贷款贴息政策咨询", "知识产权质押融资对接银行"),
        "发改委",
    ),
    Category.POLICY: (
        0.16,
        ("技改补助资金尚未拨付到位", "研发费用加计扣除政策兑现", "高新技术企业奖励资金未兑现"),
        "税务局",
    ),
    Category.APPROVAL: (
        0.12,
        ("施工许可审批材料反复退回", "环评与能评审批进度查询", "消防验收预约排期过长"),
        "发改委",
    ),
    Category.UTILITIES: (
        0.15,
        ("厂区用电增容审批一直没有答复", "园区道路施工导致停水", "天然气管道接入费用过高"),
        "工信局",
    ),
    Category.ENVIRONMENT: (
        0.08,
        ("排污许可证延续办理咨询", "危废处置单位对接困难", "环保督察整改验收时间安排"),
        "生态环境局",
    ),
    Category.OTHER: (
        0.08,
        ("园区公交线路调整建议", "企业门前道路积水严重", "周边夜间施工噪声扰民"),
        "商务局",
    ),
}
REPLIES = (
    "已会同相关部门研究,问题已解决",
    "已协调办理完毕,请企业留意后续通知",
    "已现场对接,按政策规定办理完成",
    "经核查已按程序办结,相关材料已反馈企业",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
# Shares of how a request went (the rest were answered on time).
LATE, UNSATISFIED, UNRATED, RECOMPLEXED = 0.13, 0.07, 0.12, 0.1
LONG_LATE = 0.4  # of the late ones: stuck for weeks (10 to 60 working days past the deadline)
PORTAL = 0.7
SATISFIED_SHARE = 0.68  # of the ratings that are not 不满意: 满意, else 基本满意


Entry = tuple[datetime, str, int | None, str, str]  # time, kind, unit, state, note


@dataclass
class _Rows:
    items: list[SupervisedItem] = field(default_factory=list)
    requests: list[ServiceRequest] = field(default_factory=list)
    logs: list[tuple[int, tuple[datetime, str, int | None, str, str]]] = field(default_factory=list)


def _moment(day: date, rng: np.random.Generator) -> datetime:
    clock = time(int(rng.integers(8, 18)), int(rng.integers(0, 60)))
    return timezone.make_aware(datetime.combine(day, clock))


def _working_day_on_or_after(day: date) -> date:
    return add_working_days(day - timedelta(days=1), 1)


def write_requests(rng: np.random.Generator, province_code: str, enterprises: int) -> int:
    """A year of requests up to today for the province's enterprises; returns how many."""
    today = timezone.localdate()
    ids = list(
        Enterprise.objects.filter(province_code=province_code).values_list(
            "pk", "zone_id", "region_id"
        )
    )
    if not ids:
        return 0
    leads = _leads(province_code)
    flow = RequestRules.current()
    sla = dict(ComplexitySla.objects.values_list("complexity", "working_days"))
    defaults = dict(CategoryDefault.objects.values_list("category", "complexity"))
    kind = ItemKind.objects.get(code="SQ")
    rules = list(
        # the demo's units sign for every item on time: only the handling deadline's rules apply
        EscalationRule.objects.filter(Q(kind=None) | Q(kind=kind), clock=Clock.HANDLING).order_by(
            "overdue_days", "pk"
        )
    )
    count = max(MINIMUM, enterprises // PER_ENTERPRISES)
    categories = list(CATEGORIES)
    shares = np.array([CATEGORIES[c][0] for c in categories])
    picks = rng.choice(len(categories), size=count, p=shares / shares.sum())
    starts = sorted(today - timedelta(days=int(d)) for d in rng.integers(0, DAYS, size=count))
    rows = _Rows()
    for n, (start, pick) in enumerate(zip(starts, picks.tolist(), strict=True)):
        category = categories[pick]
        enterprise, zone, region = ids[int(rng.integers(len(ids)))]
        lead = leads.get((zone, CATEGORIES[category][2]))
        _draw(rows, rng, n, start, today, category, (enterprise, zone, region), lead, sla,
              defaults, kind, rules, province_code, flow)  # fmt: skip
    _save(rows, kind, province_code)
    return len(rows.requests)


def _leads(province_code: str) -> dict[tuple[int, str], int]:
    """The bureau (by its alias) that a zone's requests of a category go to: its city's, or,
    for a zone whose city has none, the province's."""
    bureaus: dict[tuple[int, str], int] = {}
    aliases = {alias for _, _, alias in CATEGORIES.values()}
    units = Unit.objects.filter(province_code=province_code, kind="bureau")
    for unit in units.values("pk", "region_id", "aliases"):
        for alias in aliases:
            if any(a.endswith(alias) for a in unit["aliases"]):
                bureaus[(unit["region_id"], alias)] = unit["pk"]
    province = Zone.objects.filter(province_code=province_code).values_list(
        "pk", "region_id", "region__parent_id", "region__parent__parent_id"
    )
    leads = {}
    for zone, *regions in province:
        for alias in aliases:
            found = next((bureaus[(r, alias)] for r in regions if (r, alias) in bureaus), None)
            if found is not None:
                leads[(zone, alias)] = found
    return leads


def _draw(
    rows: _Rows,
    rng: np.random.Generator,
    n: int,
    start: date,
    today: date,
    category: str,
    where: tuple[int, int, int],
    lead: int | None,
    sla: dict[str, int],
    defaults: dict[str, str],
    kind: ItemKind,
    rules: list[EscalationRule],
    province_code: str,
    flow: RequestRules,
) -> None:
    enterprise, zone, region = where
    opened = _working_day_on_or_after(start)
    if opened > today or lead is None:
        return
    complexity = defaults.get(category, Complexity.NORMAL)
    if rng.random() < RECOMPLEXED:
        complexity = str(rng.choice(Complexity.values))
    texts = CATEGORIES[category][1]
    description = f"{texts[int(rng.integers(len(texts)))]}(演示数据)"
    portal = rng.random() < PORTAL
    filed = _moment(opened, rng)
    dispatched = add_working_days(opened, int(rng.integers(0, 2)))
    days = sla.get(complexity, 10)
    deadline = add_working_days(dispatched, days)
    late = rng.random() < LATE
    past = int(rng.integers(10, 61) if rng.random() < LONG_LATE else rng.integers(1, 9))
    answer = add_working_days(
        dispatched, days + past if late else max(1, int(days * rng.uniform(0.2, 0.95)))
    )
    item = SupervisedItem(
        kind=kind, year=opened.year, title=f"{Category(category).label}:{description}"[:200],
        description=description, region_id=region, zone_id=zone, level=Level.DISTRICT,
        lead_unit_id=None, state=ItemState.REGISTERED, opened=opened, deadline=deadline,
        province_code=province_code,
    )  # fmt: skip
    request = ServiceRequest(
        enterprise_id=enterprise, zone_id=zone, category=category, complexity=complexity,
        description=description, channel=Channel.PORTAL if portal else Channel.HOTLINE,
        caller_name="" if portal else f"{SURNAMES[n % len(SURNAMES)]}先生",
        caller_phone="" if portal else f"1380000{n % 10000:04d}",
        filed=filed, province_code=province_code,
    )  # fmt: skip
    log: list[Entry] = [(filed, LogKind.CREATED, None, ItemState.REGISTERED, "")]
    if dispatched <= today:
        item.lead_unit_id, item.state = lead, ItemState.ASSIGNED
        log.append((_moment(dispatched, rng), LogKind.ASSIGNED, lead, item.state, ""))
        item.accept_deadline = add_working_days(dispatched, flow.accept_working_days)
        accepted = add_working_days(dispatched, 1)
        if accepted <= today:
            item.state = ItemState.IN_PROGRESS
            log.append((_moment(accepted, rng), LogKind.ACCEPTED, lead, item.state, ""))
    if answer <= today and item.state == ItemState.IN_PROGRESS:
        _answer(item, request, log, rng, (answer, today), lead, days, flow.rating_working_days)
    elif item.state != ItemState.REGISTERED:
        _escalate(item, log, today, rules, lead)
    rows.items.append(item)
    rows.requests.append(request)
    rows.logs.extend((len(rows.items) - 1, entry) for entry in log)


def _answer(
    item: SupervisedItem,
    request: ServiceRequest,
    log: list[Entry],
    rng: np.random.Generator,
    when: tuple[date, date],
    lead: int,
    days: int,
    rating_days: int,
) -> None:
    """答复 on the first day of ``when`` (the second is today); then a rating, a 重办 after
    不满意 and the rating of the new reply, or the automatic 办结 of an unrated reply."""
    answer, today = when
    reply = REPLIES[int(rng.integers(len(REPLIES)))]
    replied = _moment(answer, rng)
    item.state, item.closed = ItemState.DONE, answer
    request.reply, request.replied = reply, replied
    log.append((replied, LogKind.DONE, lead, item.state, reply))
    draw = rng.random()
    rated_on = add_working_days(answer, int(rng.integers(1, 4)))
    if UNSATISFIED <= draw < UNSATISFIED + UNRATED:
        request.auto_closed = working_days_between(answer, today) > rating_days
        return
    if draw < UNSATISFIED and rated_on <= today:
        again = add_working_days(rated_on, max(1, days // 2))
        item.deadline = add_working_days(rated_on, days)
        request.reopened, request.rating_note = 1, "问题没有实际解决"
        log.append(
            (_moment(rated_on, rng), LogKind.REOPENED, None, ItemState.IN_PROGRESS,
             "企业评价不满意:问题没有实际解决")
        )  # fmt: skip
        if again > today:
            item.state, item.closed = ItemState.IN_PROGRESS, None
            request.reply, request.replied = "", None
            return
        item.closed, replied = again, _moment(again, rng)
        request.reply, request.replied = "经再次协调,问题已解决", replied
        log.append((replied, LogKind.DONE, lead, item.state, request.reply))
        rated_on = add_working_days(again, 1)
    if rated_on <= today:
        satisfied = rng.random() < SATISFIED_SHARE
        request.rating = Rating.SATISFIED if satisfied else Rating.FAIRLY
        request.rated = _moment(rated_on, rng)


def _escalate(
    item: SupervisedItem,
    log: list[Entry],
    today: date,
    rules: list[EscalationRule],
    lead: int | None,
) -> None:
    """An open item past its deadline: what the default escalation rules have done to it."""
    if item.deadline is None or item.deadline >= today:
        return
    overdue = working_days_between(item.deadline, today)
    for rule in rules:
        if overdue < rule.overdue_days:
            continue
        item.light, item.escalation_days = rule.light, rule.overdue_days
        item.escalated_at = timezone.now()
        if rule.raise_level:
            item.level = min(item.level + 1, Level.PROVINCE)
        item.on_board = item.on_board or rule.on_board
        note = f"{rule}(现为{Level(item.level).label})"
        log.append((timezone.now(), LogKind.ESCALATED, lead, item.state, note))
    if item.light == Light.GREEN:
        item.escalation_days = 0


def _save(rows: _Rows, kind: ItemKind, province_code: str) -> None:
    """Number the items per year after any already stored, and write everything in bulk."""
    last: dict[int, int] = dict(
        SupervisedItem._base_manager.filter(kind=kind)
        .values("year")
        .annotate(last=Max("sequence"))
        .values_list("year", "last")
    )
    for item in rows.items:
        last[item.year] = last.get(item.year, 0) + 1
        item.sequence = last[item.year]
        item.number = f"{kind.code}-{item.year}-{item.sequence:04d}"
    items = SupervisedItem.objects.bulk_create(rows.items)
    for request, item in zip(rows.requests, items, strict=True):
        request.item_id = item.pk
    ServiceRequest.objects.bulk_create(rows.requests)
    LogEntry.objects.bulk_create(
        LogEntry(
            item_id=items[index].pk, province_code=province_code, time=moment, kind=what,
            unit_id=unit, state=state, note=note,
        )
        for index, (moment, what, unit, state, note) in rows.logs
    )  # fmt: skip


def bind_logins(province_code: str) -> None:
    """The ``enterprise`` login to the first zone's first enterprise; the ``unit`` login to the
    first city's tax bureau, as its member and bound to no zone."""
    users: Any = get_user_model()._default_manager
    first = Enterprise.objects.filter(province_code=province_code).order_by("zone__code", "uscc")
    Profile.objects.filter(user__username="enterprise").update(enterprise=first.first())
    tax = (
        Unit.objects.filter(province_code=province_code, kind="bureau", parent__isnull=False)
        .filter(name__contains="税务局")
        .order_by("region__code")
        .first()
    )
    unit_user = users.get(username="unit")
    unit_user.profile.zones.clear()
    if tax is not None:
        Membership.objects.get_or_create(unit=tax, user=unit_user)
