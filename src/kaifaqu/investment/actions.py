"""Writes of the 招商 pipeline. Every function takes ``acting_user``, checks the rule
(``ensure_can``) and the scope, validates, writes in one transaction with the change log, and
raises ``Refused`` (the clerk's message) or ``PermissionDenied`` having changed nothing.

Stages move only here: ``advance`` one stage forward along the main line with that stage's
evidence, ``pause`` (暂缓) and ``terminate`` (终止) with a reason, ``resume`` back to the stage a
pause left. Each appends a ``StageChange``; none is ever updated or deleted: ``undo_change``
appends a reversing entry (撤销) instead, and is refused once a later transition exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.users import ActingUser
from kaifaqu.attachments.actions import AttachmentRefused, upload_attachment
from kaifaqu.audit.context import current_context
from kaifaqu.audit.log import log_bulk
from kaifaqu.audit.writes import audited_save
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.investment.choices import FINAL_STAGES, MAIN_LINE, ChangeKind, Stage
from kaifaqu.investment.models import (
    AnnualPlan,
    FundArrival,
    Project,
    StageChange,
    TargetClient,
    Visit,
)
from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.supervision import actions as supervision
from kaifaqu.supervision.choices import OPEN_STATES, Level
from kaifaqu.supervision.models import ItemKind, SupervisedItem
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone

PROBLEM_KIND = "ZS"
CENTS = Decimal("0.01")  # amounts are stored in 万元 to two places


class Refused(Exception):
    """A write refused for the project's state or the input; the message is for the clerk."""


@dataclass(frozen=True)
class Evidence:
    """What a transition brings: its date, files, and the stage's own facts."""

    occurred_on: date
    files: Sequence[UploadedFile[bytes]] = ()
    contract_amount: Decimal | None = None
    uscc: str = ""
    note: str = ""
    reference: str = ""  # a document named instead of a file (an import row: 合同编号, 许可证号)
    extra: dict[str, Any] = field(default_factory=dict)


def _user(acting_user: ActingUser) -> User | None:
    return None if isinstance(acting_user, AnonymousUser) else acting_user


def _locked(project: Project) -> Project:
    return Project._base_manager.select_for_update().select_related("zone").get(pk=project.pk)


def next_stage(stage: str) -> Stage | None:
    """The stage after ``stage`` on the main line; None at its end or off it."""
    if stage not in MAIN_LINE or stage == MAIN_LINE[-1]:
        return None
    return MAIN_LINE[MAIN_LINE.index(Stage(stage)) + 1]


# --- records -------------------------------------------------------------------------------


def create_client(
    *, zone: Zone, company: str, source: str, acting_user: ActingUser, **fields: Any
) -> TargetClient:
    """Enter a company into the zone's 招商目标客户资源库."""
    ensure_can(acting_user, "investment.create", None)
    client = TargetClient(
        zone=zone, company=company.strip(), source=source, created_by=_user(acting_user), **fields
    )
    return audited_save(client, acting_user=acting_user)


def _project_code(zone: Zone, year: int) -> str:
    prefix = f"{zone.code}-{year}-"
    numbers = Project._base_manager.filter(code__startswith=prefix)
    last = numbers.aggregate(last=Max("code"))["last"]
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def create_project(*, zone: Zone, name: str, acting_user: ActingUser, **fields: Any) -> Project:
    """Register a project as a 线索 (lead); it moves on through ``advance``."""
    ensure_can(acting_user, "investment.create", None)
    today = timezone.localdate()
    with transaction.atomic():
        project = Project(
            zone=zone,
            name=name.strip(),
            code=fields.pop("code", "") or _project_code(zone, today.year),
            stage=Stage.LEAD,
            stage_entered=today,
            created_by=_user(acting_user),
            **fields,
        )
        return audited_save(project, acting_user=acting_user)


EDITABLE = (
    "name", "investor", "client", "leading_industry", "industry", "total_investment",
    "fixed_asset_investment", "land_mu", "foreign_capital", "person_in_charge", "lead_unit",
    "planned_sign_date", "planned_start_date", "planned_production_date",
    "planned_full_production_date", "statistics_date", "package", "ppp", "plot",
)  # fmt: skip


def update_project(project: Project, *, acting_user: ActingUser, **changes: Any) -> Project:
    """Change a project's facts (never its stage: that is ``advance`` and the side states)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Refused(f"不能直接修改:{'、'.join(sorted(unknown))}")
    with transaction.atomic():
        project = _locked(project)
        ensure_can(acting_user, "investment.change", project)
        for name, value in changes.items():
            setattr(project, name, value)
        return audited_save(project, acting_user=acting_user)


def set_annual_plan(
    project: Project,
    *,
    year: int,
    planned_investment: Decimal,
    acting_user: ActingUser,
    completed_investment: Decimal | None = None,
) -> AnnualPlan:
    """The project's 年度计划投资 for ``year`` (and what was completed against it)."""
    ensure_can(acting_user, "investment.change", project)
    with transaction.atomic():
        plan = AnnualPlan.objects.filter(project=project, year=year).first() or AnnualPlan(
            project=project, year=year
        )
        plan.planned_investment = planned_investment
        plan.completed_investment = completed_investment
        return audited_save(plan, acting_user=acting_user)


def record_visit(
    *,
    acting_user: ActingUser,
    visited_on: date,
    visitors: str,
    summary: str,
    project: Project | None = None,
    client: TargetClient | None = None,
    met: str = "",
    next_action: str = "",
    remind_on: date | None = None,
) -> Visit:
    """拜访记录 about a project or a target client; a reminder date needs a next action."""
    subject = project or client
    if subject is None:
        raise Refused("请选择拜访的项目或目标客户")
    ensure_can(acting_user, "investment.change", subject)
    if remind_on is not None and not next_action.strip():
        raise Refused("设置提醒日期时请填写下一步工作")
    if not summary.strip():
        raise Refused("请填写洽谈情况")
    visit = Visit(
        zone=subject.zone,
        project=project,
        client=client,
        visited_on=visited_on,
        visitors=visitors.strip(),
        met=met.strip(),
        summary=summary.strip(),
        next_action=next_action.strip(),
        remind_on=remind_on,
        created_by=_user(acting_user),
    )
    return audited_save(visit, acting_user=acting_user)


def send_visit_reminders(today: date, *, acting_user: ActingUser | None = None) -> int:
    """The 拜访 reminders due by ``today`` and not sent yet (a day the digest missed included):
    each told once to the project's person in charge and to whoever recorded the visit, and
    marked sent (``reminded_on``). Returns how many were sent."""
    with transaction.atomic():
        visits = list(
            Visit.objects.select_for_update(of=("self",))
            .filter(remind_on__lte=today, reminded_on__isnull=True)
            .select_related("project", "client")
            .order_by("pk")
        )
        for visit in visits:
            subject: Project | TargetClient = visit.project or visit.client
            person = visit.project.person_in_charge_id if visit.project else None
            notify(
                {pk for pk in (person, visit.created_by_id) if pk is not None},
                NotificationKind.DEADLINE,
                subject,
                f"拜访提醒:{subject}:{visit.next_action}",
                f"{visit.visited_on:%Y-%m-%d} 拜访({visit.visitors})约定的下一步工作,"
                f"提醒日期 {visit.remind_on:%Y-%m-%d}。",
                acting_user=acting_user,
            )
        if visits:
            Visit.objects.filter(pk__in=[v.pk for v in visits]).update(reminded_on=today)
            log_bulk(
                Visit, label="拜访提醒", counts={"reminded": len(visits)}, acting_user=acting_user
            )
    return len(visits)


def record_fund_arrival(
    project: Project,
    *,
    arrived_on: date,
    amount: Decimal,
    proof: UploadedFile[bytes] | None,
    acting_user: ActingUser,
    note: str = "",
) -> FundArrival:
    """资金到位: an amount arrived on a date, with its proof (a bank slip, a capital verification
    report) attached; refused without the proof."""
    ensure_can(acting_user, "investment.change", project)
    if proof is None:
        raise Refused("请上传资金到位证明(银行回单或验资报告)")
    if amount <= 0:
        raise Refused("到位金额须大于 0")
    with transaction.atomic():
        arrival = FundArrival(
            project=project,
            arrived_on=arrived_on,
            amount=amount,
            note=note.strip(),
            recorded_by=_user(acting_user),
        )
        audited_save(arrival, acting_user=acting_user)
        try:
            upload_attachment(arrival, proof, acting_user=acting_user, description="资金到位证明")
        except AttachmentRefused as refusal:
            raise Refused(str(refusal)) from refusal
    return arrival


# --- stages --------------------------------------------------------------------------------


def _check_date(project: Project, occurred_on: date) -> None:
    if occurred_on > timezone.localdate():
        raise Refused("发生日期不能晚于今天")
    if occurred_on < project.stage_entered:
        raise Refused(
            f"发生日期不能早于项目进入「{project.get_stage_display()}」阶段的日期 "
            f"{project.stage_entered:%Y-%m-%d}"
        )


def _stored_files(
    project: Project,
    files: Sequence[UploadedFile[bytes]],
    description: str,
    acting_user: ActingUser,
) -> list[dict[str, Any]]:
    stored = []
    for upload in files:
        try:
            attachment = upload_attachment(
                project, upload, acting_user=acting_user, description=description
            )
        except AttachmentRefused as refusal:
            raise Refused(str(refusal)) from refusal
        stored.append(
            {"id": attachment.pk, "name": attachment.file_name, "sha256": attachment.sha256}
        )
    return stored


def _evidence_for(
    project: Project, to_stage: Stage, evidence: Evidence, acting_user: ActingUser
) -> tuple[dict[str, Any], Decimal | None]:
    """The stage's evidence checked (refusing what is missing), as the history keeps it, and
    the total investment after the transition."""
    record: dict[str, Any] = dict(evidence.extra)
    if evidence.note.strip():
        record["note"] = evidence.note.strip()
    if evidence.reference.strip():
        record["reference"] = evidence.reference.strip()
    amount = project.total_investment
    has_document = bool(evidence.files) or bool(evidence.reference.strip())
    if to_stage == Stage.SIGNED:
        if evidence.contract_amount is None or evidence.contract_amount <= 0:
            raise Refused("签约须填写签约金额(万元),且大于 0")
        if not has_document:
            raise Refused("签约须上传签约合同(或在导入时填写合同编号)")
        amount = evidence.contract_amount.quantize(CENTS)
        record["contract_amount"] = str(amount)
    elif to_stage == Stage.REGISTERED:
        uscc = evidence.uscc.strip().upper()
        if not uscc:
            raise Refused("注册须填写企业的统一社会信用代码")
        enterprise = Enterprise.objects.restrict(acting_user).filter(uscc=uscc).first()
        if enterprise is None:
            raise Refused(
                f"企业库中没有统一社会信用代码为 {uscc} 的企业(或不在您的数据范围内):"
                "请先在企业名录中登记该企业,再办理注册"
            )
        record["uscc"] = uscc
        record["enterprise"] = enterprise.pk
        project.enterprise = enterprise
    elif to_stage == Stage.STARTED and not has_document:
        raise Refused("开工须上传施工许可证或开工现场照片")
    elif to_stage == Stage.PRODUCING and not (has_document or evidence.note.strip()):
        raise Refused("投产须上传试生产证明材料或填写试生产情况")
    descriptions = {
        Stage.SIGNED: "签约合同",
        Stage.STARTED: "施工许可证或开工照片",
        Stage.PRODUCING: "试生产证明",
    }
    files = _stored_files(
        project, evidence.files, descriptions.get(to_stage, "阶段证明"), acting_user
    )
    if files:
        record["attachments"] = files
    return record, amount


def _append(
    project: Project,
    *,
    to_stage: str,
    occurred_on: date,
    evidence: dict[str, Any],
    amount_after: Decimal | None,
    acting_user: ActingUser,
    kind: str = ChangeKind.TRANSITION,
    reverses: StageChange | None = None,
) -> StageChange:
    """Move the project to ``to_stage`` and append the history entry, both audited."""
    change = StageChange(
        project=project,
        kind=kind,
        from_stage=project.stage,
        to_stage=to_stage,
        occurred_on=occurred_on,
        recorded_at=timezone.now(),
        recorded_by=_user(acting_user),
        evidence=evidence,
        amount_before=project.total_investment,
        amount_after=amount_after,
        reverses=reverses,
        request_id=current_context().request_id,
    )
    project.stage, project.stage_entered = to_stage, occurred_on
    project.total_investment = amount_after
    audited_save(project, acting_user=acting_user)
    return audited_save(change, acting_user=acting_user)


def advance(
    project: Project, to_stage: str, evidence: Evidence, *, acting_user: ActingUser
) -> StageChange:
    """Move the project one stage forward along the main line, with that stage's evidence."""
    with transaction.atomic():
        project = _locked(project)
        ensure_can(acting_user, "investment.change", project)
        expected = next_stage(project.stage)
        if expected is None or to_stage != expected:
            after = f"只能进入「{expected.label}」" if expected else "不能再推进"
            raise Refused(f"项目当前为「{project.get_stage_display()}」阶段,{after}")
        _check_date(project, evidence.occurred_on)
        record, amount = _evidence_for(project, Stage(to_stage), evidence, acting_user)
        return _append(
            project,
            to_stage=to_stage,
            occurred_on=evidence.occurred_on,
            evidence=record,
            amount_after=amount,
            acting_user=acting_user,
        )


def _side_state(
    project: Project, to_stage: Stage, reason: str, occurred_on: date, acting_user: ActingUser
) -> StageChange:
    with transaction.atomic():
        project = _locked(project)
        ensure_can(acting_user, "investment.change", project)
        if project.stage in FINAL_STAGES or project.stage == to_stage:
            raise Refused(f"项目当前为「{project.get_stage_display()}」,不能{to_stage.label}")
        if not reason.strip():
            raise Refused(f"{to_stage.label}须填写原因")
        _check_date(project, occurred_on)
        return _append(
            project,
            to_stage=to_stage,
            occurred_on=occurred_on,
            evidence={"reason": reason.strip()},
            amount_after=project.total_investment,
            acting_user=acting_user,
        )


def pause(
    project: Project, *, reason: str, occurred_on: date, acting_user: ActingUser
) -> StageChange:
    """暂缓: the project waits; ``resume`` takes it back to where it was."""
    return _side_state(project, Stage.PAUSED, reason, occurred_on, acting_user)


def terminate(
    project: Project, *, reason: str, occurred_on: date, acting_user: ActingUser
) -> StageChange:
    """终止: the project is lost (流失) or abandoned; final."""
    return _side_state(project, Stage.TERMINATED, reason, occurred_on, acting_user)


def resume(
    project: Project, *, note: str, occurred_on: date, acting_user: ActingUser
) -> StageChange:
    """The end of a 暂缓: back to the stage the project was paused in."""
    with transaction.atomic():
        project = _locked(project)
        ensure_can(acting_user, "investment.change", project)
        if project.stage != Stage.PAUSED:
            raise Refused("只有暂缓的项目可以恢复推进")
        paused = project.stage_changes.filter(to_stage=Stage.PAUSED).latest("recorded_at", "pk")
        _check_date(project, occurred_on)
        evidence = {"note": note.strip()} if note.strip() else {}
        return _append(
            project,
            to_stage=paused.from_stage,
            occurred_on=occurred_on,
            evidence=evidence,
            amount_after=project.total_investment,
            acting_user=acting_user,
        )


def undoable_change(project: Project) -> StageChange | None:
    """The transition an undo would reverse: the newest one not reversed yet, if the project
    still stands where it left it."""
    change = (
        project.stage_changes.filter(kind=ChangeKind.TRANSITION, reversed_by__isnull=True)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return change if change is not None and change.to_stage == project.stage else None


def undo_change(change: StageChange, *, acting_user: ActingUser, note: str = "") -> StageChange:
    """撤销: append an entry taking the project back to the stage (and amount) before
    ``change``; refused if a later transition exists (unless undone already) or it was undone
    already."""
    with transaction.atomic():
        project = _locked(change.project)
        ensure_can(acting_user, "investment.change", project)
        if change.kind == ChangeKind.UNDO:
            raise Refused("撤销记录本身不能再撤销")
        if StageChange.objects.filter(reverses=change).exists():
            raise Refused("该阶段变更已撤销")
        latest = undoable_change(project)
        if latest is None or latest.pk != change.pk:
            raise Refused(f"「{change}」之后项目已有新的阶段变更,不能撤销;请先撤销之后的变更")
        if change.to_stage == Stage.REGISTERED:
            project.enterprise = None
        evidence = {"note": note.strip()} if note.strip() else {}
        return _append(
            project,
            to_stage=change.from_stage,
            occurred_on=timezone.localdate(),
            evidence=evidence,
            amount_after=change.amount_before,
            acting_user=acting_user,
            kind=ChangeKind.UNDO,
            reverses=change,
        )


def undo_request(request_id: Any, *, acting_user: ActingUser) -> int:
    """Undo every transition written under ``request_id`` (one import), newest first, as
    reversing entries; all or nothing. Returns how many were undone."""
    with transaction.atomic():
        changes = StageChange.objects.filter(request_id=request_id, kind=ChangeKind.TRANSITION)
        count = 0
        for change in changes.select_related("project").order_by("-recorded_at", "-pk"):
            undo_change(change, acting_user=acting_user, note="撤销导入")
            count += 1
        return count


# --- blocking problems (受阻问题) ------------------------------------------------------------


def problems_of(project: Project, user: ActingUser | None = None) -> QuerySet[SupervisedItem]:
    """The supervised items (ZS-…) registered as blocking ``project`` (those ``user`` sees,
    when one is given)."""
    items = SupervisedItem.objects.restrict(user) if user is not None else SupervisedItem.objects
    return items.filter(
        subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk
    )


def open_problems_of(project: Project) -> QuerySet[SupervisedItem]:
    return problems_of(project).filter(state__in=OPEN_STATES)


def open_blocking_problem(
    project: Project,
    *,
    title: str,
    level: Level,
    acting_user: ActingUser,
    description: str = "",
    lead_unit: Unit | None = None,
    supporting_units: Iterable[Unit] = (),
    deadline: date | None = None,
) -> SupervisedItem:
    """Register a problem blocking ``project`` as a supervised item numbered ZS-…, and give it
    to the unit that must solve it (and the supporting units) when one is named."""
    ensure_can(acting_user, "investment.register_problem", project)
    if not title.strip():
        raise Refused("请填写受阻问题")
    with transaction.atomic():
        item = supervision.create_item(
            kind=ItemKind.objects.get(code=PROBLEM_KIND),
            title=f"{project.name}:{title.strip()}"[:200],
            region=project.zone.region,
            zone=project.zone,
            level=level,
            deadline=deadline,
            description=description.strip(),
            subject=project,
            acting_user=acting_user,
        )
        if lead_unit is not None:
            try:
                supervision.assign(
                    item,
                    lead_unit=lead_unit,
                    supporting_units=supporting_units,
                    acting_user=acting_user,
                )
            except supervision.Refused as refusal:
                raise Refused(str(refusal)) from refusal
            item.refresh_from_db()
    return item


def open_blocking_problem_if_none(
    project: Project,
    *,
    title: str,
    acting_user: ActingUser,
    level: Level = Level.DISTRICT,
    description: str = "",
    lead_unit: Unit | None = None,
    deadline: date | None = None,
) -> SupervisedItem | None:
    """What the lights job calls on a red project: register one blocking problem only when
    none is open (returns it), else nothing (None). The project's lead unit is the default
    unit to solve it."""
    with transaction.atomic():
        project = _locked(project)
        if open_problems_of(project).exists():
            return None
        return open_blocking_problem(
            project,
            title=title,
            level=level,
            description=description,
            lead_unit=lead_unit or project.lead_unit,
            deadline=deadline,
            acting_user=acting_user,
        )
