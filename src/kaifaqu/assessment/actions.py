"""Writes of the assessment app: each one transaction, validated, scoped and logged."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from kaifaqu.access.choices import Binding
from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser, account
from kaifaqu.assessment.choices import RunState
from kaifaqu.assessment.framework import DocumentError, parse_document
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    FrameworkVersion,
    RankTarget,
    Target,
    ZoneResult,
)
from kaifaqu.audit.events import record_domain_event
from kaifaqu.audit.writes import audited_save
from kaifaqu.catalog.models import Indicator, Region
from kaifaqu.jobs.actions import create_job, enqueue_job, run_job
from kaifaqu.jobs.models import Job
from kaifaqu.publications.actions import publish
from kaifaqu.publications.choices import PublicationKind
from kaifaqu.publications.models import Publication, audience_roles
from kaifaqu.zones.models import Zone


def _bureau(user: ActingUser) -> Region:
    """The office a framework is owned by: the user's region (a bureau, not a zone)."""
    ensure_can(user, "assessment.copy_framework")
    return user_profile(user).region  # type: ignore[union-attr, return-value]


def copy_framework(
    source: AssessmentFramework, *, acting_user: ActingUser, code: str, name: str
) -> AssessmentFramework:
    """A bureau's own copy of ``source`` (a preset or another framework), at version 1."""
    owner = _bureau(acting_user)
    latest = source.latest()
    if latest is None:
        raise ValidationError("源方案没有任何版本")
    if AssessmentFramework.objects.filter(owner=owner, code=code).exists():
        raise ValidationError({"code": "本单位已有该代码的方案"})
    with transaction.atomic():
        framework = AssessmentFramework(code=code, name=name, owner=owner, based_on=source)
        audited_save(framework, acting_user=acting_user)
        _add_version(framework, latest.document, f"复制自:{source.name}", acting_user)
    return framework


def save_version(
    framework: AssessmentFramework, document: str, *, note: str, acting_user: ActingUser
) -> FrameworkVersion:
    """A new version of a bureau's framework; a preset is read-only (copy it first)."""
    ensure_can(acting_user, "assessment.save_version", framework)
    try:
        parse_document(document)
    except DocumentError as error:
        raise ValidationError({"document": str(error)}) from error
    with transaction.atomic():
        return _add_version(framework, document, note, acting_user)


def _add_version(
    framework: AssessmentFramework, document: str, note: str, user: ActingUser
) -> FrameworkVersion:
    last = framework.versions.aggregate(n=Max("number"))["n"] or 0
    version = FrameworkVersion(
        framework=framework, number=last + 1, document=document, note=note, created_by=account(user)
    )
    version.full_clean()
    version.save()
    record_domain_event(
        "assessment_framework_version",
        summary=f"考核方案 {framework.name} 第{version.number}版",
        acting_user=user,
        payload={"framework": framework.pk, "version": version.number},
        province_code=framework.owner.province_code if framework.owner else "",
    )
    return version


def start_run(
    version: FrameworkVersion,
    *,
    year: int,
    acting_user: ActingUser,
    province_code: str = "",
    zone_kind: str | None = None,
    replications: int | None = None,
    background: bool = True,
) -> AssessmentRun:
    """Queue the run of ``version`` for ``year`` over the zones in the user's scope.

    ``background=False`` computes it here before returning, for a command that needs the
    result at once (the demo builder publishes its national ranking): queuing it too would
    have the worker compute it a second time."""
    ensure_can(acting_user, "assessment.start_run")
    if not AssessmentFramework.objects.restrict(acting_user).filter(pk=version.framework_id):
        raise PermissionDenied("该考核方案不在您的数据范围内")
    doc = parse_document(version.document)
    zones = Zone.objects.restrict(acting_user, "change")
    if province_code:
        zones = zones.filter(province_code=province_code)
    kind = doc.zone_kind if zone_kind is None else zone_kind
    if not zones.filter(**({"kind": kind} if kind else {})).exists():
        raise ValidationError("您的数据范围内没有可参评的开发区")
    pending = AssessmentRun.objects.filter(
        version=version,
        year=year,
        province_code=province_code,
        zone_kind=kind,
        created_by=account(acting_user),
        state=RunState.QUEUED,
    ).first()
    if pending is not None:  # the same computation is already queued: idempotent
        return pending
    with transaction.atomic():
        run = AssessmentRun(
            version=version,
            year=year,
            province_code=province_code,
            zone_kind=kind,
            ranked_by=doc.published_rank,
            replications=doc.replications if replications is None else replications,
            created_by=account(acting_user),
        )
        audited_save(run, acting_user=acting_user)
        params = {"run": run.pk}
        if background:
            job = enqueue_job("assessment_run", params, acting_user=acting_user)
        else:
            job, _ = create_job("assessment_run", params, acting_user=acting_user)
        run.job = job
        run.save(update_fields=["job"])
    if not background:
        run_job(job)  # a failure is recorded on the job and marks the run failed
        run.refresh_from_db()
    return run


def publish_ranking(run: AssessmentRun, *, acting_user: ActingUser) -> Publication:
    """Publish the run's ranking of all its zones (to whom: ``_publisher``).

    Only an office whose scope holds every ranked zone may: a province cannot publish the
    national ranking, which would show the other provinces' zones to their own users."""
    ensure_can(acting_user, "assessment.publish_ranking", run)
    if run.state != RunState.DONE:
        raise ValidationError("考核运行尚未完成,不能发布排名")
    results = list(
        run.results.select_related("zone__region").order_by("published_rank", "zone__code")
    )
    author_region, author_zone, audience = _publisher(acting_user, results)
    doc = parse_document(run.version.document)
    with transaction.atomic():
        publication = Publication(
            title=f"{run.year}年度{run.version.framework.name}排名",
            kind=PublicationKind.RANKING,
            author=account(acting_user),
            author_region=author_region,
            author_zone=author_zone,
            columns=ranking_columns(doc),
            rows=[ranking_row(doc, r) for r in results],
        )
        audited_save(
            publication,
            acting_user=acting_user,
            m2m={
                "audience_roles": audience_roles(enterprises=False),
                "audience_regions": audience,
            },
        )
        publish(publication, acting_user=acting_user)
        run.publication = publication
        run.save(update_fields=["publication"])
    return publication


def _publisher(
    user: ActingUser, results: list[ZoneResult]
) -> tuple[Region | None, Zone | None, QuerySet[Region]]:
    """The publishing office (its region, or its zone) and the divisions the ranking goes to.

    A bureau publishes to the bureaus and zones of the ranked zones' provinces. A 管委会 ranking
    its own zones publishes to their divisions only, as its 亩均 lists do: a zone office speaks
    for no one beyond its area. Its draft is known by its zone (``PublicationQuerySet``), so
    the publication names one of the user's zones in the ranking, or ``publish`` refuses it."""
    profile = user_profile(user)
    if profile is not None and profile.role is not None and profile.role.binding == Binding.ZONE:
        zone = min((r.zone for r in results), key=lambda z: z.code)
        return None, zone, Region.objects.filter(pk__in={r.zone.region_id for r in results})
    provinces = Region.objects.filter(code__in={r.province_code for r in results})
    return (profile.region if profile else None), None, provinces


def ranking_columns(doc: Any) -> list[list[str]]:
    dimensions = [[f"dim_{d}", doc.label(d)] for d in doc.dimensions]
    return [
        ["published_rank", "名次"],
        ["interval", "名次区间(P5–P95)"],
        ["zone", "开发区"],
        ["group", "比较组"],
        ["total", "综合得分"],
        *dimensions,
        ["progress", "进位"],
        ["note", "备注"],
    ]


def ranking_row(doc: Any, result: ZoneResult) -> dict[str, Any]:
    low, high = result.published_interval
    return {
        "published_rank": result.published_rank,
        "interval": "" if low is None else f"{low:g}–{high:g}",
        "zone": result.zone.name,
        "group": result.group,
        "total": None if result.total is None else str(result.total),
        **{f"dim_{d}": result.dimensions.get(d) for d in doc.dimensions},
        "progress": result.progress,
        "note": result.disqualified,
    }


def set_target(
    zone: Zone,
    indicator: Indicator,
    *,
    year: int,
    value: Decimal,
    acting_user: ActingUser,
    note: str = "",
) -> Target:
    """Create or change a zone's target for an indicator and year."""
    ensure_can(acting_user, "assessment.set_target")
    target = Target.objects.filter(zone=zone, indicator=indicator, year=year).first()
    target = target or Target(zone=zone, indicator=indicator, year=year)
    target.value, target.note = value, note
    return audited_save(target, acting_user=acting_user)


def set_rank_target(
    zone: Zone,
    *,
    level: str,
    year: int,
    rank: int,
    acting_user: ActingUser,
    note: str = "",
) -> RankTarget:
    """Create or change a zone's rank target (进入前N位) in the national or provincial ranking."""
    ensure_can(acting_user, "assessment.set_target")
    target = RankTarget.objects.filter(zone=zone, level=level, year=year).first()
    target = target or RankTarget(zone=zone, level=level, year=year)
    target.rank, target.note = rank, note
    return audited_save(target, acting_user=acting_user)


def record_deduction(
    zone: Zone, *, year: int, item: str, count: Decimal, acting_user: ActingUser, note: str = ""
) -> Deduction:
    """Enter a deduction or disqualification item of a zone-year."""
    ensure_can(acting_user, "assessment.record_deduction")
    entry = Deduction.objects.filter(zone=zone, year=year, item=item).first()
    entry = entry or Deduction(zone=zone, year=year, item=item)
    entry.count, entry.note = count, note
    return audited_save(entry, acting_user=acting_user)


def request_report(run: AssessmentRun, zone: Zone, *, acting_user: ActingUser) -> Job:
    """Queue the diagnostic report of ``zone`` in ``run`` (PDF and DOCX)."""
    if not ZoneResult.objects.restrict(acting_user).filter(run=run, zone=zone).exists():
        raise PermissionDenied("该开发区的考核结果不在您的数据范围内")
    params = {"run": run.pk, "zone": zone.pk}
    return enqueue_job("assessment_report", params, acting_user=acting_user)
