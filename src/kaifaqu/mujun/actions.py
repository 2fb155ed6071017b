"""Writes of the 亩均 app: schemes, runs, 公示, objections, publication, corrections, and the
bonus and penalty points a bureau enters.

Each action: one transaction, validation, the change log, domain events for the workflow's
transitions, and the evaluation job enqueued on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser, account
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.events import record_domain_event
from kaifaqu.audit.log import log_change, snapshot
from kaifaqu.audit.writes import audited_delete, audited_save, save_decided
from kaifaqu.catalog.models import Region
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.jobs.actions import enqueue_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun.choices import CORRECTABLE_FIELDS, ObjectionState, RunState
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry, Scheme
from kaifaqu.mujun.points import EntryFields
from kaifaqu.mujun.scheme import SchemeError, parse_scheme, preset_text
from kaifaqu.publications.choices import PublicationKind, PublicationState
from kaifaqu.publications.models import Publication, audience_roles
from kaifaqu.vocabulary import field_header
from kaifaqu.zones.models import Zone

LIST_COLUMNS = [
    ["uscc", "统一社会信用代码"],
    ["name", "企业名称"],
    ["zone", "所在开发区"],
    ["pool", "评价池"],
    ["total", "总分"],
    ["rank", "池内排名"],
    ["grade", "等级"],
    ["status", "状态"],
]


def _validated(document: str) -> None:
    try:
        parse_scheme(document)
    except SchemeError as error:
        raise ValidationError(error.problems) from None


def copy_preset(
    preset_id: str, *, region: Region, acting_user: ActingUser, name: str = ""
) -> Scheme:
    """A bureau's own scheme, version 1, copied from a shipped preset."""
    ensure_can(acting_user, "mujun.copy_scheme")
    try:
        document = preset_text(preset_id)
    except FileNotFoundError:
        raise ValidationError(f"没有名为「{preset_id}」的预置方案") from None
    parsed = parse_scheme(document)
    scheme = Scheme(name=name or parsed.name, preset=preset_id, document=document, region=region)
    return audited_save(scheme, acting_user=acting_user)


def save_scheme_version(scheme: Scheme, document: str, *, acting_user: ActingUser) -> Scheme:
    """A new version of ``scheme`` with the edited document; earlier versions stay as they were."""
    _validated(document)
    ensure_can(acting_user, "mujun.save_scheme", scheme)
    latest = (
        Scheme.objects.filter(name=scheme.name, region=scheme.region).order_by("-version").first()
    )
    version = (latest.version if latest else scheme.version) + 1
    new = Scheme(
        name=scheme.name,
        preset=scheme.preset,
        version=version,
        previous=scheme,
        document=document,
        region=scheme.region,
        zone=scheme.zone,
    )
    return audited_save(new, acting_user=acting_user)


def start_run(
    scheme: Scheme, *, year: int, region: Region, zone: Zone | None, acting_user: ActingUser
) -> EvaluationRun:
    """Create a run of ``scheme`` for ``year`` in a region or zone and queue its evaluation."""
    ensure_can(acting_user, "mujun.start_run", scheme)
    _validated(scheme.document)
    with transaction.atomic():
        run = EvaluationRun(
            scheme=scheme,
            year=year,
            region=zone.region if zone else region,
            zone=zone,
            created_by=account(acting_user),
            scheme_document=scheme.document,
        )
        audited_save(run, acting_user=acting_user)
        _queue(run, acting_user)
    return run


def _queue(run: EvaluationRun, acting_user: ActingUser) -> Job:
    job = enqueue_job(
        "mujun_evaluate", {"run": run.pk, "corrections": run.corrections}, acting_user=acting_user
    )
    EvaluationRun.objects.filter(pk=run.pk).update(job=job)
    run.job = job
    return job


def _transition(
    run: EvaluationRun, state: str, acting_user: ActingUser, kind: str, summary: str
) -> None:
    run.state = state
    audited_save(run, acting_user=acting_user)
    record_domain_event(
        kind,
        summary=summary,
        acting_user=acting_user,
        payload={"run": run.pk, "state": state},
        province_code=run.province_code,
        region_code=run.region.code,
    )


def start_publicity(
    run: EvaluationRun, *, start: date, end: date, acting_user: ActingUser
) -> EvaluationRun:
    """Draft → 公示: the list goes out to the jurisdiction for the window [start, end], which
    starts no earlier than today (Beijing time) and lasts as long as the run's scheme allows.

    Who opened it and when is the 公示 publication's author and publication time."""
    ensure_can(acting_user, "mujun.start_publicity", run)
    if run.state != RunState.DRAFT:
        raise ValidationError("只有草稿状态的评价结果可以公示")
    _check_window(run, start, end)
    with transaction.atomic():
        run.publicity_start, run.publicity_end = start, end
        run.publicity = _publication(run, PublicationKind.PUBLICITY, acting_user)
        _transition(run, RunState.PUBLICITY, acting_user, "mujun_publicity", f"公示:{run}")
    return run


def _check_window(run: EvaluationRun, start: date, end: date) -> None:
    today = timezone.localdate()
    if start < today:
        raise ValidationError(
            f"公示开始日期{start:%Y-%m-%d}早于今天({today:%Y-%m-%d}),公示不能补登,请从今天或以后开始"
        )
    bounds = run.document().publicity
    days = (end - start).days + 1
    if not bounds.min_days <= days <= bounds.max_days:
        raise ValidationError(
            f"公示期须为{bounds.min_days}至{bounds.max_days}个自然日(含首尾两天),"
            f"现为{days}天:请调整结束日期"
        )


def publish_run(
    run: EvaluationRun, *, acting_user: ActingUser, today: date | None = None
) -> EvaluationRun:
    """公示 → published: no objection pending and the window closed; the run is then immutable."""
    ensure_can(acting_user, "mujun.publish_run", run)
    if run.state != RunState.PUBLICITY:
        raise ValidationError("只有公示中的评价结果可以发布")
    if run.job_id and run.job.state != "succeeded":  # type: ignore[union-attr]
        raise ValidationError("更正后的重新计算尚未完成")
    # Both are said at once, so the bureau knows everything that still stands in the way.
    problems = []
    if run.publicity_end and (today or timezone.localdate()) <= run.publicity_end:
        problems.append(f"公示期至{run.publicity_end:%Y-%m-%d}结束,届满后方可发布")
    pending = Objection.objects.filter(result__run=run, state=ObjectionState.PENDING).count()
    if pending:
        problems.append(f"仍有{pending}件未处理的异议,处理完毕后方可发布")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        run.published = timezone.now()
        run.final_list = _publication(run, PublicationKind.GRADE_LIST, acting_user)
        if (old := run.supersedes) is not None:
            old.state = RunState.SUPERSEDED
            audited_save(old, acting_user=acting_user)
        _transition(run, RunState.PUBLISHED, acting_user, "mujun_published", f"发布:{run}")
    return run


def _publication(run: EvaluationRun, kind: str, acting_user: ActingUser) -> Publication:
    """The list as a published Publication for the jurisdiction's offices and enterprises.

    Written here rather than through ``publications.actions.publish``: a list holds one row per
    enterprise (tens of thousands), which are the run's results, already recorded with the run; the
    change log gets the publication with its row count instead of a second copy of every row.
    """
    profile = user_profile(acting_user)
    label = "公示名单" if kind == PublicationKind.PUBLICITY else "评价结果名单"
    publication = Publication.objects.create(
        title=f"{run.year}年度{run.jurisdiction_name}工业企业亩均效益评价{label}",
        kind=kind,
        state=PublicationState.PUBLISHED,
        published=timezone.now(),
        author=account(acting_user),
        author_region=profile.region if profile and profile.region else None,
        author_zone=run.zone if profile and not profile.region else None,
        columns=LIST_COLUMNS,
        rows=list_rows(run),
    )
    publication.audience_roles.set(audience_roles(enterprises=True))
    publication.audience_regions.set([run.zone.region if run.zone else run.region])
    after = snapshot(Publication(**{**_fields(publication), "rows": []})) | {
        "row_count": len(publication.rows)
    }
    log_change(
        publication, action=ChangeAction.CREATE, before=None, after=after, acting_user=acting_user
    )
    record_domain_event(
        "publication_published",
        summary=f"发布:{publication.title}",
        acting_user=acting_user,
        payload={"publication": publication.pk, "run": run.pk},
        province_code=run.province_code,
    )
    return publication


def _fields(publication: Publication) -> dict[str, Any]:
    return {f.attname: getattr(publication, f.attname) for f in Publication._meta.concrete_fields}


def list_rows(run: EvaluationRun) -> list[dict[str, Any]]:
    """The published list: one row per evaluated enterprise (no tax or land figures)."""
    scheme = run.document()
    results = (
        EvaluationResult.objects.filter(run=run)
        .select_related("enterprise", "zone")
        .order_by("zone__code", "pool", "pool_rank", "id")
    )
    return [
        {
            "uscc": r.enterprise.uscc,
            "name": r.enterprise.name,
            "zone": r.zone.name,
            "zone_id": r.zone_id,
            "pool": scheme.pool_name(r.pool),
            "total": None if r.total is None else str(r.total),
            "rank": r.pool_rank,
            "grade": r.shown_grade,
            "status": r.get_status_display(),
        }
        for r in results.iterator(chunk_size=5000)
    ]


# --- objections ----------------------------------------------------------------------------------


def file_objection(
    result: EvaluationResult,
    *,
    reason: str,
    evidence: str,
    corrected_values: dict[str, float] | None = None,
    acting_user: ActingUser,
    today: date | None = None,
) -> Objection:
    """An enterprise or zone user objects to a result during its 公示 window, with evidence."""
    ensure_can(acting_user, "mujun.file_objection", result)
    run = result.run
    day = today or timezone.localdate()
    if run.state != RunState.PUBLICITY or not (run.publicity_start <= day <= run.publicity_end):  # type: ignore[operator]
        raise ValidationError("只能在公示期内提出异议")
    if not reason.strip() or not evidence.strip():
        raise ValidationError("请填写异议理由和证据说明")
    unknown = set(corrected_values or {}) - set(CORRECTABLE_FIELDS)
    if unknown:
        named = "、".join(field_header(key) for key in sorted(unknown))
        raise ValidationError(f"不能申请更正的字段:{named}")
    objection = Objection(
        result=result,
        reason=reason,
        evidence=evidence,
        corrected_values=corrected_values or {},
        filed_by=account(acting_user),
    )
    with transaction.atomic():
        # an enterprise objects to its own result, which its role may only view
        save_decided(objection, acting_user=acting_user)
        _event("mujun_objection_filed", objection, acting_user, f"异议:{result.enterprise}")
    return objection


def decide_objection(
    objection: Objection, *, accept: bool, note: str, acting_user: ActingUser
) -> Objection:
    """The run's bureau accepts or rejects; an accepted correction re-runs the pool."""
    run = objection.result.run
    ensure_can(acting_user, "mujun.decide_objection", objection)
    if objection.state != ObjectionState.PENDING:
        raise ValidationError("该异议已处理")
    with transaction.atomic():
        before = snapshot(objection)
        objection.state = ObjectionState.ACCEPTED if accept else ObjectionState.REJECTED
        objection.decision_note, objection.decided_by, objection.decided = (
            note,
            account(acting_user),
            timezone.now(),
        )
        objection.save()
        log_change(
            objection,
            action=ChangeAction.UPDATE,
            before=before,
            after=snapshot(objection),
            acting_user=acting_user,
        )
        kind = "mujun_objection_accepted" if accept else "mujun_objection_rejected"
        _event(kind, objection, acting_user, f"异议处理:{objection.result.enterprise}")
        if accept and objection.corrected_values:
            corrections = dict(run.corrections)
            key = str(objection.result.enterprise_id)
            corrections[key] = {**corrections.get(key, {}), **objection.corrected_values}
            run.corrections = corrections
            audited_save(run, acting_user=acting_user)
            _queue(run, acting_user)
    return objection


def _event(kind: str, objection: Objection, acting_user: ActingUser, summary: str) -> None:
    record_domain_event(
        kind,
        summary=summary,
        acting_user=acting_user,
        payload={
            "objection": objection.pk,
            "result": objection.result_id,
            "run": objection.result.run_id,
        },
        province_code=objection.province_code,
    )


def correct_published(run: EvaluationRun, *, acting_user: ActingUser) -> EvaluationRun:
    """A published run stays as it was; a correction is a new revision, evaluated afresh."""
    ensure_can(acting_user, "mujun.correct_published", run)
    if run.state != RunState.PUBLISHED:
        raise ValidationError("只有已发布的评价结果需要以新版次更正")
    with transaction.atomic():
        new = EvaluationRun(
            scheme=run.scheme,
            year=run.year,
            region=run.region,
            zone=run.zone,
            revision=run.revision + 1,
            supersedes=run,
            created_by=account(acting_user),
            scheme_document=run.scheme_document,
            corrections=run.corrections,
        )
        audited_save(new, acting_user=acting_user)
        _queue(new, acting_user)
    return new


def default_window(run: EvaluationRun) -> tuple[date, date]:
    """The window a 公示 form proposes: from today, the scheme's shortest allowed length."""
    start = timezone.localdate()
    return start, start + timedelta(days=run.document().publicity.min_days - 1)


# --- bonus and penalty points ---------------------------------------------------------------------


def add_points(
    enterprise: Enterprise,
    *,
    year: int,
    kind: str,
    points: Decimal,
    item: str,
    evidence: str,
    acting_user: ActingUser,
) -> PointsEntry:
    """Points for ``enterprise`` in ``year``, which the year's runs add or deduct from then on."""
    ensure_can(acting_user, "mujun.change_points", enterprise)
    entry = PointsEntry(
        enterprise=enterprise,
        year=year,
        kind=kind,
        points=points,
        item=item.strip(),
        evidence=evidence.strip(),
        entered_by=account(acting_user),
    )
    return audited_save(entry, acting_user=acting_user)


def import_points(rows: Iterable[EntryFields], *, acting_user: ActingUser) -> list[PointsEntry]:
    """Every checked row of a file as an entry, each logged, all or none."""
    with transaction.atomic():
        return [add_points(**row.as_kwargs(), acting_user=acting_user) for row in rows]


def delete_points(entry: PointsEntry, *, acting_user: ActingUser) -> None:
    """Withdraw an entry; runs already computed keep what they read (a re-run drops it)."""
    audited_delete(entry, acting_user=acting_user)
