"""The demo province's 招商 pipeline: three years of projects per zone, each with its stage
history, so that the year's figures land near the seeds' targets (签约转化率 ≥ 50%, 主导产业签约
占比 ≥ 30%, 当年签约当年开工率 ≥ 30%), with stalled, paused, lost and blocked projects.

Each zone gets a few projects entering its 储备 pool every year. A project goes on to 洽谈 and
签约 with the probabilities below, then through 注册, 开工, 投产 and 运营 after drawn delays; a
stage whose date would fall after today is where it stays. Some are paused or lost on the way;
a few started ones carry an open 受阻问题 (a ZS supervised item). Written in bulk (machine-made
rows, logged as one batch by the generator).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from kaifaqu.enterprises.models import Enterprise
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.kpi_models import Kpi, KpiTarget
from kaifaqu.investment.models import (
    AnnualPlan,
    FundArrival,
    Project,
    ProjectPackage,
    StageChange,
    TargetClient,
    Visit,
)
from kaifaqu.supervision.models import ItemKind, LogEntry, SupervisedItem
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone

YEARS = 3
PROJECTS_PER_ZONE_YEAR = (6, 10)  # drawn between, per zone and year
P_NEGOTIATE = 0.82  # 储备 → 洽谈
P_SIGN = 0.82  # 洽谈 → 签约 (so about two thirds of the pool signs, most within the year)
P_LEADING = 0.5  # a project in a zone's 主导产业
P_PAUSE = 0.06
P_LOSE = 0.08
P_BLOCKED = 0.08  # a started project with an open 受阻问题
SIGN_DELAY, START_DELAY = (15, 100), (15, 120)  # days after 洽谈 and after 签约 (开工 via 注册)
SOURCES = ("chain_leader", "business", "expo", "target_list", "other")
PROJECT_WORDS = ("新能源电池", "高端装备", "生物医药", "集成电路", "新材料", "智能制造", "数字经济")
PACKAGES = ("产业链补链项目包", "龙头企业配套项目包", "科创平台项目包")
PROBLEMS = ("用地指标未落实", "环评审批进度滞后", "电力增容未到位", "融资对接困难")
# Each zone's yearly targets (rates in %, counts in 个), drawn among these: at or a little above
# the seeds' standards, so that some zones meet them and some do not; 亿元以上 per zone kind.
TARGETS = {
    Kpi.SIGN_CONVERSION_PERIOD: (50, 55, 60),
    Kpi.LEADING_SHARE: (30, 35, 40),
    Kpi.SAME_YEAR_START: (30, 35, 40),
    Kpi.START_RATE: (60, 70, 80),
    Kpi.FUNDS_RATE: (60, 70, 80),
}
OVER_100M_TARGETS = {"national": (2, 3, 4), "provincial": (1, 2)}


@dataclass
class Drafted:
    project: Project
    steps: list[tuple[str, str, date, dict[str, Any]]] = field(default_factory=list)
    amounts: list[Decimal | None] = field(default_factory=list)


def _days(rng: np.random.Generator, bounds: tuple[int, int]) -> timedelta:
    return timedelta(days=int(rng.integers(*bounds)))


def write_projects(province_code: str, seed: int, today: date | None = None) -> dict[str, int]:
    """Create the demo province's 招商 records; returns the counts."""
    today = today or timezone.localdate()
    rng = np.random.default_rng([seed, 7])
    zones = list(Zone.objects.filter(province_code=province_code).order_by("code"))
    committees = {u.zone_id: u for u in Unit.objects.filter(zone__in=zones, kind="zone_committee")}
    enterprises: dict[int, list[Enterprise]] = {}
    for enterprise in (
        Enterprise.objects.filter(zone__in=zones).order_by("pk").only("pk", "uscc", "zone_id")
    ):
        enterprises.setdefault(enterprise.zone_id, []).append(enterprise)
    leading = {z.pk: list(z.leading_industries.values_list("pk", flat=True)) for z in zones}
    packages, drafted, clients = [], [], []
    for zone in zones:
        for year in range(today.year - YEARS + 1, today.year + 1):
            packages += [
                ProjectPackage(zone=zone, year=year, name=name, province_code=province_code)
                for name in PACKAGES
            ]
            for n in range(int(rng.integers(*PROJECTS_PER_ZONE_YEAR))):
                drafted.append(
                    _draft(rng, zone, year, n, today, committees.get(zone.pk), leading[zone.pk])
                )
        clients += [
            TargetClient(
                zone=zone,
                company=f"{zone.name[:4]}{word}目标企业",
                source=SOURCES[i % len(SOURCES)],
                contact_person="王经理",
                province_code=province_code,
            )
            for i, word in enumerate(PROJECT_WORDS[:3])
        ]
    ProjectPackage.objects.bulk_create(packages)
    TargetClient.objects.bulk_create(clients)
    package_of = {(p.zone_id, p.year): p for p in packages}
    for d in drafted:
        d.project.province_code = province_code
        d.project.package = package_of.get((d.project.zone_id, d.project.created.year))
        registered = [s for s in d.steps if s[1] == Stage.REGISTERED]
        pool = enterprises.get(d.project.zone_id) or []
        if registered and pool:
            enterprise = pool[int(rng.integers(len(pool)))]
            d.project.enterprise = enterprise
            registered[0][3].update({"uscc": enterprise.uscc, "enterprise": enterprise.pk})
    Project.objects.bulk_create([d.project for d in drafted])
    changes = [
        StageChange(
            project=d.project,
            from_stage=before,
            to_stage=after,
            occurred_on=on,
            recorded_at=timezone.make_aware(datetime.combine(on, time(10))),
            evidence=evidence,
            amount_before=d.amounts[i],
            amount_after=d.amounts[i + 1],
            province_code=province_code,
        )
        for d in drafted
        for i, (before, after, on, evidence) in enumerate(d.steps)
    ]
    StageChange.objects.bulk_create(changes, batch_size=2000)
    plans, funds, visits = _plans_funds_visits(rng, drafted, today, province_code)
    blocked = _blocked(rng, drafted, today, province_code)
    targets = _targets(rng, zones, today, province_code)
    return {
        "projects": len(drafted),
        "stage_changes": len(changes),
        "annual_plans": plans,
        "fund_arrivals": funds,
        "visits": visits,
        "blocked": blocked,
        "kpi_targets": targets,
    }


def _draft(
    rng: np.random.Generator,
    zone: Zone,
    year: int,
    n: int,
    today: date,
    committee: Unit | None,
    leading: list[int],
) -> Drafted:
    reserve_on = date(year, 1, 5) + _days(rng, (0, 270))
    reserve_on = min(reserve_on, today - timedelta(days=5))
    amount = Decimal(int(rng.lognormal(9.8, 1.0))).quantize(Decimal(1))
    is_leading = bool(rng.random() < P_LEADING) and bool(leading)
    land = Decimal(int(rng.integers(20, 300)))
    word = PROJECT_WORDS[int(rng.integers(len(PROJECT_WORDS)))]
    project = Project(
        code=f"{zone.code}-{year}-{n + 1:04d}",
        name=f"{word}项目({zone.name[:4]}{year}-{n + 1})",
        investor=f"示范投资集团{int(rng.integers(1, 60))}号公司",
        zone=zone,
        leading_industry=is_leading,
        industry_id=leading[0] if is_leading else None,
        fixed_asset_investment=(amount * Decimal("0.7")).quantize(Decimal(1)),
        land_mu=land,
        lead_unit=committee,
        planned_sign_date=reserve_on + timedelta(days=120),
        planned_start_date=reserve_on + timedelta(days=200),
        planned_production_date=reserve_on + timedelta(days=560),
        ppp=bool(rng.random() < 0.05),
        stage=Stage.RESERVE,
        stage_entered=reserve_on,
    )
    project.created = timezone.make_aware(datetime.combine(reserve_on, time(9)))
    drafted = Drafted(project, [(Stage.LEAD, Stage.RESERVE, reserve_on, {})], [None, None])
    on, stage = reserve_on, Stage.RESERVE
    path: list[tuple[Stage, tuple[int, int], float]] = [
        (Stage.NEGOTIATING, (10, 45), P_NEGOTIATE),
        (Stage.SIGNED, SIGN_DELAY, P_SIGN),
        (Stage.REGISTERED, (10, 40), 0.97),
        (Stage.STARTED, START_DELAY, 0.9),
        (Stage.PRODUCING, (180, 400), 0.9),
        (Stage.OPERATING, (300, 500), 0.9),
    ]
    for target, delay, chance in path:
        if rng.random() >= chance:
            _side_state(rng, drafted, stage, on, today)
            break
        next_on = on + _days(rng, delay)
        if next_on > today:
            break
        evidence: dict[str, Any] = {}
        if target == Stage.SIGNED:
            project.total_investment = amount
            evidence = {"contract_amount": str(amount), "reference": f"合同编号 HT{year}{n:03d}"}
        elif target == Stage.STARTED:
            evidence = {"reference": f"施工许可证 SG{year}{n:03d}"}
        elif target == Stage.PRODUCING:
            evidence = {"note": "试生产正常"}
        drafted.steps.append((stage, target, next_on, evidence))
        drafted.amounts.append(project.total_investment)
        on, stage = next_on, target
    project.stage = drafted.steps[-1][1]
    project.stage_entered = drafted.steps[-1][2]
    if project.stage in (Stage.STARTED, Stage.PRODUCING, Stage.OPERATING):
        start = next(s[2] for s in drafted.steps if s[1] == Stage.STARTED)
        project.statistics_date = start + _days(rng, (10, 50))
    return drafted


def _side_state(
    rng: np.random.Generator, drafted: Drafted, stage: str, on: date, today: date
) -> None:
    """Where a project leaves the main line: lost (终止) or paused (暂缓), or it simply stays."""
    draw = rng.random()
    side = Stage.TERMINATED if draw < P_LOSE else Stage.PAUSED if draw < P_LOSE + P_PAUSE else None
    when = on + _days(rng, (30, 120))
    if side is None or when > today:
        return
    reason = "投资方战略调整,项目落户外省" if side == Stage.TERMINATED else "投资方资金安排调整"
    drafted.steps.append((stage, side, when, {"reason": reason}))
    drafted.amounts.append(drafted.project.total_investment)


def _plans_funds_visits(
    rng: np.random.Generator, drafted: list[Drafted], today: date, province_code: str
) -> tuple[int, int, int]:
    plans, funds, visits = [], [], []
    for d in drafted:
        project = d.project
        remind_on = d.steps[0][2] + timedelta(days=14)
        visits.append(
            Visit(
                zone_id=project.zone_id,
                project=project,
                visited_on=d.steps[0][2],
                visitors="招商一局",
                summary="上门拜访,介绍园区产业政策与配套",
                next_action="组织实地考察",
                remind_on=remind_on,
                reminded_on=remind_on if remind_on <= today else None,  # sent on its day
                province_code=province_code,
            )
        )
        if project.total_investment is None or project.stage not in (
            Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING, Stage.OPERATING,
        ):  # fmt: skip
            continue
        planned = (project.total_investment * Decimal("0.3")).quantize(Decimal(1))
        done = (planned * Decimal(float(rng.uniform(0.5, 1.1)))).quantize(Decimal(1))
        plans.append(
            AnnualPlan(
                project=project,
                year=today.year,
                planned_investment=planned,
                completed_investment=done,
                province_code=province_code,
            )
        )
        if project.stage != Stage.REGISTERED:
            funds.append(
                FundArrival(
                    project=project,
                    arrived_on=project.stage_entered,
                    amount=(project.total_investment * Decimal("0.2")).quantize(Decimal(1)),
                    note="首期资金",
                    province_code=province_code,
                )
            )
    AnnualPlan.objects.bulk_create(plans)
    FundArrival.objects.bulk_create(funds)
    Visit.objects.bulk_create(visits)
    return len(plans), len(funds), len(visits)


def _blocked(
    rng: np.random.Generator, drafted: list[Drafted], today: date, province_code: str
) -> int:
    """An open ZS item, given to its zone's 管委会, on a few started projects."""
    kind = ItemKind.objects.get(code="ZS")
    sequence = SupervisedItem._base_manager.filter(kind=kind, year=today.year).count()
    items = []
    for d in drafted:
        project = d.project
        if project.stage != Stage.STARTED or rng.random() >= P_BLOCKED:
            continue
        sequence += 1
        opened = max(project.stage_entered, today - timedelta(days=40))
        items.append(
            SupervisedItem(
                number=f"ZS-{today.year}-{sequence:04d}",
                kind=kind,
                year=today.year,
                sequence=sequence,
                title=f"{project.name}:{PROBLEMS[int(rng.integers(len(PROBLEMS)))]}",
                region_id=project.zone.region_id,
                zone=project.zone,
                level=1,
                lead_unit=project.lead_unit,
                state="assigned",
                opened=opened,
                deadline=opened + timedelta(days=30),
                subject_type_id=_content_type_id(),
                subject_id=project.pk,
                province_code=province_code,
            )
        )
    SupervisedItem.objects.bulk_create(items)
    LogEntry.objects.bulk_create(
        LogEntry(
            item=item,
            time=timezone.make_aware(datetime.combine(item.opened, time(9))),
            kind=kind_,
            unit=item.lead_unit if kind_ == "assigned" else None,
            state=state,
            province_code=province_code,
        )
        for item in items
        for kind_, state in (("created", "registered"), ("assigned", "assigned"))
    )
    return len(items)


def _targets(rng: np.random.Generator, zones: list[Zone], today: date, province_code: str) -> int:
    """Every zone's KPI targets for each of the demo's years, so the dashboard shows targets
    against actuals."""
    targets = []
    for zone in zones:
        level = "national" if zone.kind.startswith("national") else "provincial"
        choices = {**TARGETS, Kpi.OVER_100M: OVER_100M_TARGETS[level]}
        for year in range(today.year - YEARS + 1, today.year + 1):
            targets += [
                KpiTarget(
                    zone=zone,
                    year=year,
                    kpi=kpi,
                    value=Decimal(int(rng.choice(values))),
                    province_code=province_code,
                )
                for kpi, values in choices.items()
            ]
    KpiTarget.objects.bulk_create(targets)
    return len(targets)


def _content_type_id() -> int:
    return ContentType.objects.get_for_model(Project).pk


def delete_projects(province_code: str) -> None:
    """The demo province's 招商 records (its ZS items go with the supervised items)."""
    changes = StageChange._default_manager.filter(province_code=province_code)
    changes.filter(reverses__isnull=False).delete()  # an undo first: it protects its entry
    models: list[type[Model]] = [
        FundArrival, Visit, AnnualPlan, StageChange, Project, ProjectPackage, TargetClient,
        KpiTarget,
    ]  # fmt: skip
    for model in models:
        model._default_manager.filter(province_code=province_code).delete()
