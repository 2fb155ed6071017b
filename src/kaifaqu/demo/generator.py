"""Write the synthetic demo province (``kaifaqu demo-data``) into the database.

>>> summary = generate(seed=2026, enterprises=1000)  # doctest: +SKIP
>>> summary.counts["enterprises"]  # doctest: +SKIP
1000

The NumPy modules beside this one draw the data; this one only turns arrays into rows. Enterprises
are drawn and written in chunks of 20,000 (each chunk's random stream derives from the seed and
the chunk number), in bulk batches, one transaction per chunk, so a million enterprises fit in well
under 1 GiB. Zone indicators come last, from sums the chunks leave behind.
"""

import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

import numpy as np
import polars as pl
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from kaifaqu.access.choices import Binding, RoleKind
from kaifaqu.access.models import Profile, Role
from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.models import (
    AssessmentFramework,
    AssessmentRun,
    Deduction,
    Finding,
    RankTarget,
    Report,
    Target,
)
from kaifaqu.audit.log import log_bulk
from kaifaqu.catalog.models import Indicator, Industry, Region, Tag
from kaifaqu.core.bulk import insert_frame
from kaifaqu.core.cli import SYSTEM_USERNAME
from kaifaqu.demo import geography, names, profiles
from kaifaqu.demo.investment import delete_projects, write_projects
from kaifaqu.demo.policies import delete_policies, write_policies
from kaifaqu.demo.population import (
    OWNERSHIPS,
    STATUSES,
    YEARS,
    Enterprises,
    Events,
    draw_enterprises,
    draw_events,
    zone_arrays,
)
from kaifaqu.demo.requests import bind_logins, write_requests
from kaifaqu.demo.units import write_units
from kaifaqu.demo.yearly import COUNTS, FIELDS, Panel, draw_panel
from kaifaqu.demo.zone_indicators import accumulate, zone_series
from kaifaqu.enterprises.models import Enterprise, EnterpriseEvent, EnterpriseYear
from kaifaqu.maps.models import Boundary
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection, PointsEntry
from kaifaqu.mujun.models import Scheme as MujunScheme
from kaifaqu.publications.models import Publication
from kaifaqu.servicerequests.models import ServiceRequest
from kaifaqu.supervision.actions import escalate
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.units.models import Membership, Unit
from kaifaqu.zones.models import Zone, ZoneYear, ZoneYearSummary

DEFAULT_SEED = 2026
DEFAULT_ENTERPRISES = 20_000
CHUNK = 20_000
BATCH = 5_000
PROVINCE = geography.PROVINCE_CODE
DEMO_URL = "http://127.0.0.1:8000/"
DEMO_PASSWORD = "kaifaqu-demo-2026"
# username, name, role and what the login is for, as printed for newcomers. The way in is the
# province's analyst, as a bureau uses the platform; each 等保 administrator has its own login
# (三员分立); no all-seeing superuser is offered.
DEMO_USERS = (
    ("analyst", "分析员", "province_analyst", "省商务厅分析员,主要演示账号"),
    ("zone", "管委会", "zone_analyst", "开发区管委会,只见本区"),
    ("sysadmin", "系统管理员", "system_admin", "系统管理员:账号与定时任务"),
    ("secadmin", "安全管理员", "security_admin", "安全管理员:授权、解锁与重置密码"),
    ("auditor", "审计管理员", "audit_admin", "审计管理员:查阅审计日志"),
    ("leader", "分管领导", "province_manager", "省商务厅分管领导:公示期满后正式发布排名"),
    ("enterprise", "企业用户", "enterprise_user", "企业用户:在门户提交、查看并评价本企业的诉求"),
    ("unit", "税务局", "zone_analyst", "市税务局工作人员:只见派给本单位的诉求,签收并答复"),
)

# Random streams: one per phase, and one per enterprise chunk.
_ZONES, _CHUNKS, _INDICATORS = 0, 1, 2
_REQUESTS = 3


class Stream(Protocol):
    """Where lines go: a text file, or a management command's ``self.stdout``."""

    def write(self, text: str, /) -> object: ...


class DemoDataExists(Exception):
    """The demo province is already in the database and ``reset`` was not asked for."""


@dataclass
class Summary:
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mib: float = 0.0


class Progress:
    """Plain progress lines on stderr, with the time since the start."""

    def __init__(self, stream: Stream | None) -> None:
        self.stream = stream
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, message: str) -> None:
        if self.stream is not None:
            self.stream.write(f"[{self.elapsed():6.1f} s] {message}\n")
            getattr(self.stream, "flush", lambda: None)()


def demo_exists() -> bool:
    return (
        Region.objects.filter(province_code=PROVINCE).exists()
        or Zone.objects.filter(province_code=PROVINCE).exists()
    )


def generate(
    *,
    seed: int = DEFAULT_SEED,
    enterprises: int = DEFAULT_ENTERPRISES,
    reset: bool = False,
    stdout: Stream | None = None,
    stderr: Stream | None = None,
    acting_user: ActingUser | None = None,
) -> Summary:
    """Build the demo province; refuse with ``DemoDataExists`` if it is there and not ``reset``.

    The run is recorded as one change-log entry with its counts, under ``acting_user`` (the
    system account when None); only a superuser may replace a whole province.
    """
    if enterprises < 1 or seed < 0:
        raise ValueError("enterprises must be at least 1 and the seed not negative")
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied("只有超级管理员可以生成演示数据")
    progress = Progress(stderr)
    with transaction.atomic():
        if demo_exists():
            if not reset:
                raise DemoDataExists(
                    f"演示数据已存在(省份代码 {PROVINCE}),未做任何修改;要重新生成请加 --reset"
                )
            _delete_work()
            _delete_demo()
            progress("已删除原有演示数据")
    with transaction.atomic():
        plans, zone_ids = _write_geography(np.random.default_rng([seed, _ZONES]))
    progress(f"行政区划与开发区:{len(zone_ids)} 个开发区")
    totals = _write_enterprises(seed, enterprises, plans, zone_ids, progress)
    with transaction.atomic():
        _write_zone_years(np.random.default_rng([seed, _INDICATORS]), plans, zone_ids, totals)
    progress("开发区年度指标已写入")
    with transaction.atomic():
        _ensure_demo_users()
        write_units(PROVINCE)
        bind_logins(PROVINCE)
        write_requests(np.random.default_rng([seed, _REQUESTS]), PROVINCE, enterprises)
        write_policies(PROVINCE, today=timezone.localdate())
        write_projects(PROVINCE, seed)
        # the night's escalation over every module's items, as the nightly job would run it
        night = acting_user or get_user_model()._default_manager.get(username=SYSTEM_USERNAME)
        escalate(acting_user=night, today=timezone.localdate())
        summary = Summary(seed=seed, counts=demo_counts(), seconds=progress.elapsed())
        label = f"生成演示数据 {geography.PROVINCE_NAME}(随机种子 {seed})"
        log_bulk(Enterprise, label=label, counts=summary.counts, acting_user=acting_user)
    summary.seconds, summary.peak_rss_mib = progress.elapsed(), peak_rss_mib()
    if stdout is not None:
        _print_summary(stdout, summary)
    return summary


def peak_rss_mib() -> float:
    """Peak resident memory of this process (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def demo_counts() -> dict[str, int]:
    counted: dict[str, type[models.Model]] = {
        "regions": Region,
        "zones": Zone,
        "enterprises": Enterprise,
        "enterprise_years": EnterpriseYear,
        "enterprise_events": EnterpriseEvent,
        "zone_years": ZoneYear,
        "units": Unit,
        "service_requests": ServiceRequest,
    }
    return {
        key: model._default_manager.filter(province_code=PROVINCE).count()
        for key, model in counted.items()
    }


def _delete_work() -> None:
    """What was done on the demo province (亩均 runs, assessment runs and targets, publications,
    summaries), which refers to its regions, zones and enterprises and so goes first. An
    assessment run with any demo zone goes whole (the demo's national ranking is rebuilt)."""
    regions = Region.objects.filter(province_code=PROVINCE)
    zones = Zone.objects.filter(province_code=PROVINCE)
    Objection.objects.filter(province_code=PROVINCE).delete()
    ServiceRequest.objects.filter(province_code=PROVINCE).delete()
    delete_policies(PROVINCE)  # they hold supervised items
    delete_projects(PROVINCE)
    SupervisedItem.objects.filter(province_code=PROVINCE).delete()  # with their logs
    results = EvaluationResult.objects.filter(province_code=PROVINCE)
    results._raw_delete(results.db)  # a row per enterprise and run; nothing refers to them now
    PointsEntry.objects.filter(province_code=PROVINCE).delete()
    EvaluationRun.objects.filter(province_code=PROVINCE).delete()
    MujunScheme.objects.filter(province_code=PROVINCE).delete()
    AssessmentRun.objects.filter(results__zone__in=zones).distinct().delete()
    AssessmentFramework.objects.filter(owner__in=regions).delete()
    for model in (Finding, Deduction, Target, RankTarget, Report, ZoneYearSummary):
        model._default_manager.filter(zone__in=zones).delete()
    Publication.objects.filter(Q(author_region__in=regions) | Q(author_zone__in=zones)).delete()
    Publication.audience_regions.through.objects.filter(region__in=regions).delete()
    Profile.objects.filter(region__in=regions).update(region=None)  # the demo logins get it back
    Profile.objects.filter(enterprise__province_code=PROVINCE).update(enterprise=None)


def _delete_demo() -> None:
    """Delete the demo province, children first.

    ``_raw_delete`` issues one DELETE per table: ``QuerySet.delete()`` would load every enterprise
    into memory to cascade, and nothing is left to cascade once the children are gone.
    """
    querysets: list[models.QuerySet[Any]] = [
        EnterpriseEvent.objects.filter(province_code=PROVINCE),
        EnterpriseYear.objects.filter(province_code=PROVINCE),
        ZoneYear.objects.filter(province_code=PROVINCE),
        Enterprise.tags.through.objects.filter(enterprise__province_code=PROVINCE),
        Enterprise.objects.filter(province_code=PROVINCE),
        Zone.leading_industries.through.objects.filter(zone__province_code=PROVINCE),
        Profile.zones.through.objects.filter(zone__province_code=PROVINCE),
        Membership.objects.filter(unit__province_code=PROVINCE),
        *(
            Unit.objects.filter(province_code=PROVINCE, parent__isnull=is_top)
            for is_top in (False, True)
        ),
        Zone.objects.filter(province_code=PROVINCE),
        Boundary.objects.filter(region__province_code=PROVINCE),
        *(
            Region.objects.filter(province_code=PROVINCE, level=level)
            for level in ("county", "city")
        ),
        Region.objects.filter(province_code=PROVINCE),
    ]
    for queryset in querysets:
        queryset._raw_delete(queryset.db)


def _write_geography(rng: np.random.Generator) -> tuple[list[geography.ZonePlan], list[int]]:
    region_ids: dict[str, int] = {}
    for level in ("province", "city", "county"):
        rows = [
            Region(
                code=d.code,
                name=d.name,
                level=d.level,
                parent_id=region_ids.get(d.parent_code or ""),
                province_code=PROVINCE,
            )
            for d in geography.divisions()
            if d.level == level
        ]
        region_ids |= {row.code: row.pk for row in Region.objects.bulk_create(rows)}
    Boundary.objects.bulk_create(
        Boundary(region_id=region_ids[code], geometry=shape, source=geography.OUTLINE_SOURCE)
        for code, shape in geography.outlines().items()
    )
    plans = geography.plan_zones(rng)
    zones = Zone.objects.bulk_create(
        Zone(
            code=plan.code,
            name=plan.name,
            kind=plan.kind,
            region_id=region_ids[plan.region_code],
            province_code=PROVINCE,
            comparison_group=plan.group,
            approval_date=plan.approval_date,
            approved_area_km2=Decimal(f"{plan.area_km2:.2f}"),
            centre_lng=plan.lng,
            centre_lat=plan.lat,
            boundary=geography.hexagon(plan.lng, plan.lat, plan.area_km2),
        )
        for plan in plans
    )
    industry_ids = dict(Industry.objects.values_list("code", "id"))
    Zone.leading_industries.through.objects.bulk_create(
        Zone.leading_industries.through(zone_id=zone.pk, industry_id=industry_ids[code])
        for zone, plan in zip(zones, plans, strict=True)
        for code in plan.leading
    )
    return plans, [zone.pk for zone in zones]


@dataclass
class _Lookups:
    """Database ids and per-zone facts every chunk needs."""

    zone_ids: np.ndarray
    zone_regions: np.ndarray  # region id of each zone
    zone_region_codes: np.ndarray  # that region's six-digit code, for the USCC
    industry_ids: np.ndarray  # indexed like profiles.CODES
    tag_ids: dict[str, int]
    used_names: names.UniqueKeys = field(default_factory=names.UniqueKeys)
    used_usccs: names.UniqueKeys = field(default_factory=names.UniqueKeys)


def _lookups(zone_ids: list[int]) -> _Lookups:
    regions = dict(Zone.objects.filter(pk__in=zone_ids).values_list("pk", "region_id"))
    codes = dict(Region.objects.filter(province_code=PROVINCE).values_list("pk", "code"))
    industries = dict(Industry.objects.values_list("code", "id"))
    return _Lookups(
        zone_ids=np.array(zone_ids),
        zone_regions=np.array([regions[pk] for pk in zone_ids]),
        zone_region_codes=np.array([codes[regions[pk]] for pk in zone_ids]),
        industry_ids=np.array([industries[code] for code in profiles.CODES]),
        tag_ids=dict(Tag.objects.values_list("name", "id")),
    )


def _write_enterprises(
    seed: int,
    total: int,
    plans: list[geography.ZonePlan],
    zone_ids: list[int],
    progress: Progress,
) -> dict[str, np.ndarray]:
    """Draw and write enterprises chunk by chunk; return the zone × year sums of all chunks."""
    zones, lookups = zone_arrays(plans), _lookups(zone_ids)
    totals: dict[str, np.ndarray] = {}
    for number, start in enumerate(range(0, total, CHUNK)):
        rng = np.random.default_rng([seed, _CHUNKS, number])
        ent = draw_enterprises(rng, min(CHUNK, total - start), zones)
        panel = draw_panel(rng, ent)
        events = draw_events(rng, ent)
        with transaction.atomic():
            ids = _write_enterprise_rows(rng, ent, panel, lookups)
            _write_tags(ent, ids, lookups)
            _write_years(panel, ids, lookups)
            _write_events(events, ids)
        for key, value in accumulate(ent, panel, events, len(plans)).items():
            totals[key] = totals.get(key, 0) + value
        done = start + ent.count
        progress(f"企业 {done:,}/{total:,}({100 * done // total}%)")
    return totals


def _dates(values: np.ndarray) -> list[Any]:
    """datetime64[D] → date objects, NaT → None."""
    return values.astype("datetime64[D]").astype(object).tolist()  # type: ignore[no-any-return]


def _decimals(values: np.ndarray) -> list[Decimal | None]:
    """Rounded floats → Decimals by their shortest decimal text, NaN → None (missing, never 0)."""
    out: list[Decimal | None] = list(map(Decimal, values.astype(str).tolist()))
    for i in np.flatnonzero(np.isnan(values)).tolist():
        out[i] = None
    return out


def _integers(values: np.ndarray) -> list[int | None]:
    missing = np.isnan(values)
    out: list[int | None] = np.where(missing, 0, values).astype(np.int64).tolist()
    for i in np.flatnonzero(missing).tolist():
        out[i] = None
    return out


def _write_enterprise_rows(
    rng: np.random.Generator, ent: Enterprises, panel: Panel, lookups: _Lookups
) -> np.ndarray:
    large = ent.size > 9.5
    keys = names.name_keys(rng, ent.industry, large, lookups.used_names)
    bodies = names.uscc_body_keys(rng, ent.reg_year >= 2016, lookups.used_usccs)
    codes = names.usccs(lookups.zone_region_codes[ent.zone], bodies)
    utility = np.isin(np.array(profiles.CODES)[ent.industry], list(profiles.UTILITIES))
    columns = zip(
        codes,
        names.names_from_keys(keys),
        lookups.zone_ids[ent.zone].tolist(),
        lookups.zone_regions[ent.zone].tolist(),
        lookups.industry_ids[ent.industry].tolist(),
        _dates(ent.registration),
        _decimals(ent.capital),
        np.array(OWNERSHIPS)[ent.ownership].tolist(),
        np.array(STATUSES)[ent.status].tolist(),
        [year or None for year in panel.first_above.tolist()],
        _dates(panel.land_completion),
        _dates(ent.merger),
        ent.military.tolist(),
        utility.tolist(),
        strict=True,
    )
    rows = [
        Enterprise(
            uscc=uscc,
            name=name,
            zone_id=zone,
            region_id=region,
            province_code=PROVINCE,
            industry_id=industry,
            registration_date=registered,
            registered_capital=capital,
            ownership=ownership,
            status=status,
            first_above_scale_year=first_above,
            land_completion_date=completion,
            merger_date=merger,
            exempt_military=military,
            exempt_utility=utility,
        )
        for (uscc, name, zone, region, industry, registered, capital, ownership, status,
             first_above, completion, merger, military, utility) in columns
    ]  # fmt: skip
    created = Enterprise.objects.bulk_create(rows, batch_size=BATCH)
    return np.array([row.pk for row in created])


def _write_tags(ent: Enterprises, ids: np.ndarray, lookups: _Lookups) -> None:
    """Tags by name from the library; a tag a bureau has removed is simply not given."""
    through = Enterprise.tags.through
    rows = [
        through(enterprise_id=enterprise, tag_id=lookups.tag_ids[tag])
        for tag, holders in ent.tags.items()
        if tag in lookups.tag_ids
        for enterprise in ids[holders].tolist()
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)


def _year_slices(panel: Panel) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    rows, years = np.nonzero(panel.alive)
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH], years[start : start + BATCH]


def _write_years(panel: Panel, ids: np.ndarray, lookups: _Lookups) -> None:
    for rows, years in _year_slices(panel):
        columns: dict[str, list[Any]] = {
            "enterprise_id": ids[rows].tolist(),
            "zone_id": lookups.zone_ids[panel.zone[rows, years]].tolist(),
            "province_code": [PROVINCE] * len(rows),
            "year": YEARS[years].tolist(),
            "above_scale": panel.above[rows, years].tolist(),
        }
        for name in FIELDS:
            cells = panel.values[name][rows, years]
            columns[name] = _integers(cells) if name in COUNTS else _decimals(cells)
        insert_frame(EnterpriseYear, pl.DataFrame(columns))


def _write_events(events: Events, ids: np.ndarray) -> None:
    EnterpriseEvent.objects.bulk_create(
        EnterpriseEvent(
            enterprise_id=enterprise, province_code=PROVINCE, kind=kind, date=day, note=note
        )
        for enterprise, kind, day, note in zip(
            ids[events.enterprise].tolist(),
            events.kind.tolist(),
            _dates(events.date),
            events.note.tolist(),
            strict=True,
        )
    )


def _write_zone_years(
    rng: np.random.Generator,
    plans: list[geography.ZonePlan],
    zone_ids: list[int],
    totals: dict[str, np.ndarray],
) -> None:
    """Every zone × year × indicator of the library this generator knows how to fill."""
    indicators = dict(Indicator.objects.values_list("code", "id"))
    series = zone_series(rng, plans, totals)
    rows = [
        ZoneYear(
            zone_id=zone_id,
            province_code=PROVINCE,
            year=int(year),
            indicator_id=indicators[code],
            value=value,
        )
        for code, values in series.items()
        if code in indicators
        for zone_id, zone_values in zip(zone_ids, values, strict=True)
        for year, value in zip(YEARS, _decimals(zone_values), strict=True)
    ]  # fmt: skip
    ZoneYear.objects.bulk_create(rows, batch_size=BATCH)


def _ensure_demo_users() -> None:
    """Create or refresh the demo logins; running again leaves the same accounts.

    The analyst is a 省商务厅分析员 bound to the demo province, so scope shows them all of it and
    nothing else; ``zone`` is the 管委会 of the province's first zone and sees only that zone;
    ``leader`` is the bureau's 分管领导 (省商务厅管理员), who publishes what the analyst put in
    公示; the three administrators hold their administrator role and no business role. None is a
    superuser, and no account is sent to change the published demo password at first login.
    """
    user_model = get_user_model()
    province = Region.objects.get(code=PROVINCE)
    first_zone = Zone.objects.filter(province_code=PROVINCE).order_by("code").first()
    for username, first_name, role_code, _ in DEMO_USERS:
        user, _ = user_model._default_manager.get_or_create(username=username)
        user.last_name, user.first_name = "演示", first_name
        user.is_staff = user.is_superuser = False
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.must_change_password = False
        role = Role.objects.get(code=role_code)
        business = role.kind == RoleKind.BUSINESS
        profile.role, profile.admin_role = (role, None) if business else (None, role)
        profile.region = province if role.binding == Binding.REGION else None
        profile.save()
        zoned = role.binding == Binding.ZONE
        profile.zones.set([first_zone] if zoned and first_zone is not None else [])


LABELS = {
    "regions": "行政区划",
    "zones": "开发区",
    "enterprises": "企业",
    "enterprise_years": "企业年度数据",
    "enterprise_events": "企业事件",
    "zone_years": "开发区年度指标",
    "units": "单位",
    "service_requests": "企业诉求",
}


def _print_summary(stdout: Stream, summary: Summary) -> None:
    lines = [f"已生成演示省份 {geography.PROVINCE_NAME}(随机种子 {summary.seed})"]
    lines += [f"  {LABELS[key]}:{count:,}" for key, count in summary.counts.items()]
    lines.append(f"用时 {summary.seconds:.1f} 秒,峰值内存 {summary.peak_rss_mib:.0f} MiB")
    lines.append(f"演示账号,登录 {DEMO_URL}")
    lines += [
        f"  {username} / {DEMO_PASSWORD}({purpose})" for username, _, _, purpose in DEMO_USERS
    ]
    stdout.write("\n".join(lines) + "\n")
