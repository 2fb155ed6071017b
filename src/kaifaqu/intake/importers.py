"""Per import kind: resolving references within the user's scope, the plan against the database
(insert, update, unchanged) and writing it. The change log gets one row per object changed."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kaifaqu.access.scope import region_condition, user_profile
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.context import current_context
from kaifaqu.audit.log import actor
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Indicator, Industry, Region, Tag
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake.choices import ImportKind
from kaifaqu.intake.columns import (
    ENTERPRISE_YEARS,
    ENTERPRISES,
    ZONE_YEARS_FIXED,
    ZONES,
    Column,
    KindSpec,
)
from kaifaqu.intake.problems import Problem
from kaifaqu.intake.validation import Record
from kaifaqu.zones.models import Zone, ZoneYear

NOT_IN_SCOPE = "不在您的数据范围内(或尚未登记)"


@dataclass
class Plan:
    inserts: list[models.Model] = field(default_factory=list)
    updates: list[tuple[models.Model, dict[str, Any]]] = field(default_factory=list)  # obj, before
    unchanged: int = 0
    m2m: dict[int, dict[str, list[Any]]] = field(default_factory=dict)  # id(obj) → name → values

    @property
    def counts(self) -> dict[str, int]:
        return {
            "insert": len(self.inserts),
            "update": len(self.updates),
            "unchanged": self.unchanged,
        }


def json_value(value: Any) -> Any:
    """A field value as the change log stores it; equal values give equal JSON (12.50 = 12.5)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class Importer:
    model: ClassVar[type[models.Model]]
    fields: ClassVar[tuple[str, ...]]  # model fields the file sets
    m2m_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, user: Any) -> None:
        self.user = user

    def spec(self) -> KindSpec:
        raise NotImplementedError

    def resolve(self, sheet: str, records: list[Record]) -> list[Problem]:
        """Turn reference cells into objects; a record whose reference fails becomes invalid."""
        raise NotImplementedError

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        raise NotImplementedError

    def existing(self, records: list[Record]) -> dict[tuple[Any, ...], models.Model]:
        raise NotImplementedError

    def new(self, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def rows(self, records: list[Record]) -> Iterable[dict[str, Any]]:
        return (record.values for record in records if record.valid)

    def plan(self, records: list[Record]) -> Plan:
        plan = Plan()
        existing = self.existing(records)
        for values in self.rows(records):
            obj = existing.get(self.key(values))
            if obj is None:
                obj = self.new(values)
                self._apply(obj, values)
                plan.inserts.append(obj)
            else:
                before = self.snapshot(obj)
                self._apply(obj, values)
                if self.snapshot(obj) == before and not self._m2m_changed(obj, values):
                    plan.unchanged += 1
                    continue
                plan.updates.append((obj, before))
            plan.m2m[id(obj)] = {name: values[name] for name in self.m2m_fields if name in values}
        return plan

    def _apply(self, obj: models.Model, values: dict[str, Any]) -> None:
        for name in self.fields:
            if name in values:
                setattr(obj, name, _stored(self.model, name, values[name]))

    def _m2m_changed(self, obj: models.Model, values: dict[str, Any]) -> bool:
        return any(
            name in values and sorted(v.pk for v in values[name]) != self._current_m2m(obj, name)
            for name in self.m2m_fields
        )

    def _current_m2m(self, obj: models.Model, name: str) -> list[int]:
        return sorted(getattr(obj, name).values_list("pk", flat=True))

    def snapshot(self, obj: models.Model) -> dict[str, Any]:
        meta = self.model._meta
        data = {
            name: json_value(getattr(obj, meta.get_field(name).attname)) for name in self.fields
        }
        if obj.pk is not None:
            for name in self.m2m_fields:
                data[name] = self._current_m2m(obj, name)
        return data

    def write(self, plan: Plan, *, batch_size: int = 2000) -> None:
        """Insert, update and log (inside the caller's transaction)."""
        self.model._default_manager.bulk_create(plan.inserts, batch_size=batch_size)
        changed = {name for obj, _ in plan.updates for name in self.fields}
        if plan.updates:
            objs = [obj for obj, _ in plan.updates]
            self.model._default_manager.bulk_update(objs, sorted(changed), batch_size=batch_size)
        for obj in [*plan.inserts, *(o for o, _ in plan.updates)]:
            for name, values in plan.m2m.get(id(obj), {}).items():
                getattr(obj, name).set(values)
        self._log(plan)

    def _log(self, plan: Plan) -> None:
        context = current_context()
        who = actor(self.user)
        content_type = ContentType.objects.get_for_model(self.model)
        entries = [(ChangeAction.CREATE, obj, None) for obj in plan.inserts] + [
            (ChangeAction.UPDATE, obj, before) for obj, before in plan.updates
        ]
        ObjectChange.objects.bulk_create(
            [
                ObjectChange(
                    **who,
                    ip=context.ip,
                    channel=context.channel,
                    request_id=context.request_id,
                    action=action,
                    content_type=content_type,
                    object_id=str(obj.pk),
                    object_repr=str(obj)[:200],
                    province_code=getattr(obj, "province_code", ""),
                    before=before,
                    after=self.snapshot(obj),
                )
                for action, obj, before in entries
            ],
            batch_size=2000,
        )


def _stored(model: type[models.Model], name: str, value: Any) -> Any:
    """The value as the database will hold it, so a re-import compares equal (4 decimals kept)."""
    field = model._meta.get_field(name)
    if isinstance(value, Decimal) and isinstance(field, models.DecimalField):
        return value.quantize(Decimal(10) ** -field.decimal_places, rounding=ROUND_HALF_UP)
    return value


def _invalid(record: Record, problem: Problem, problems: list[Problem]) -> None:
    record.valid = False
    problems.append(problem)


def _lookup(
    sheet: str,
    record: Record,
    key: str,
    table: dict[str, Any],
    message: str,
    problems: list[Problem],
) -> None:
    """Replace the code in ``record.values[key]`` by its object; an unknown code is a problem."""
    code = record.values.get(key)
    if code is None:
        return
    if code in table:
        record.values[key] = table[code]
    else:
        _invalid(
            record, _ref_problem(sheet, record, key, code, message.format(code=code)), problems
        )


def _lookup_list(
    sheet: str,
    record: Record,
    key: str,
    table: dict[str, Any],
    message: str,
    problems: list[Problem],
) -> None:
    wanted = record.values.get(key) or []
    unknown = "、".join(code for code in wanted if code not in table)
    if unknown:
        _invalid(
            record,
            _ref_problem(sheet, record, key, unknown, message.format(code=unknown)),
            problems,
        )
    else:
        record.values[key] = [table[code] for code in wanted]


def _ref_problem(sheet: str, record: Record, key: str, value: Any, message: str) -> Problem:
    return Problem(
        sheet,
        record.row,
        record.raw.get(key, ""),
        str(value),
        "unknown_reference",
        message,
        "核对代码;如确属新对象,请先登记",
    )


class ZonesImporter(Importer):
    model = Zone
    fields = (
        "code",
        "name",
        "kind",
        "region",
        "comparison_group",
        "approval_date",
        "approved_area_km2",
        "centre_lng",
        "centre_lat",
    )
    m2m_fields = ("leading_industries",)

    def spec(self) -> KindSpec:
        return ZONES

    def resolve(self, sheet: str, records: list[Record]) -> list[Problem]:
        regions = {r.code: r for r in Region.objects.filter(_region_scope(self.user))}
        industries = {i.code: i for i in Industry.objects.filter(level="division")}
        problems: list[Problem] = []
        for record in records:
            _lookup(sheet, record, "region", regions, "区划代码「{code}」" + NOT_IN_SCOPE, problems)
            _lookup_list(
                sheet,
                record,
                "leading_industries",
                industries,
                "未知的行业大类代码:{code}",
                problems,
            )
        return problems

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values["code"],)

    def existing(self, records: list[Record]) -> dict[tuple[Any, ...], models.Model]:
        codes = [r.values["code"] for r in records if r.valid]
        return {(z.code,): z for z in Zone.objects.filter(code__in=codes)}

    def new(self, values: dict[str, Any]) -> models.Model:
        return Zone(province_code=values["region"].province_code)


def _region_scope(user: Any) -> Any:
    """Regions a region-bound writer may place zones in; nothing for zone and enterprise users."""
    from django.db.models import Q

    if getattr(user, "is_superuser", False):
        return Q()
    profile = user_profile(user)
    if not profile or not profile.role or profile.role.binding != "region" or not profile.region:
        return Q(pk__in=[])
    if not profile.role.allows("change"):
        return Q(pk__in=[])
    return region_condition(profile.region, province_field="province_code", code_field="code")


class EnterprisesImporter(Importer):
    model = Enterprise
    fields = (
        "uscc",
        "name",
        "zone",
        "region",
        "industry",
        "registration_date",
        "registered_capital",
        "ownership",
        "status",
        "first_above_scale_year",
        "land_completion_date",
        "merger_date",
        "exempt_military",
        "exempt_utility",
    )
    m2m_fields = ("tags",)

    def spec(self) -> KindSpec:
        return ENTERPRISES

    def resolve(self, sheet: str, records: list[Record]) -> list[Problem]:
        zones = {
            z.code: z for z in Zone.objects.restrict(self.user, "change").select_related("region")
        }
        industries = {i.code: i for i in Industry.objects.filter(level="division")}
        tags = {t.name: t for t in Tag.objects.all()}
        foreign = self._registered_elsewhere({r.values.get("uscc") for r in records})
        problems: list[Problem] = []
        for record in records:
            values = record.values
            if values.get("uscc") in foreign:
                problem = Problem(
                    sheet,
                    record.row,
                    record.raw.get("uscc", ""),
                    values["uscc"],
                    "not_in_scope",
                    "该企业已登记在您的数据范围之外",
                    "请联系上级主管部门",
                )
                _invalid(record, problem, problems)
            _lookup(sheet, record, "zone", zones, "开发区代码「{code}」" + NOT_IN_SCOPE, problems)
            if isinstance(values.get("zone"), Zone):
                values["region"] = values["zone"].region
            _lookup(sheet, record, "industry", industries, "未知的行业大类代码「{code}」", problems)
            _lookup_list(sheet, record, "tags", tags, "标签库中没有:{code}", problems)
        return problems

    def _registered_elsewhere(self, usccs: set[Any]) -> set[str]:
        mine = Enterprise.objects.restrict(self.user, "change").values("pk")
        others = Enterprise.objects.filter(uscc__in=usccs - {None}).exclude(pk__in=mine)
        return set(others.values_list("uscc", flat=True))

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values["uscc"],)

    def existing(self, records: list[Record]) -> dict[tuple[Any, ...], models.Model]:
        usccs = [r.values["uscc"] for r in records if r.valid]
        return {(e.uscc,): e for e in Enterprise.objects.filter(uscc__in=usccs)}

    def new(self, values: dict[str, Any]) -> models.Model:
        return Enterprise(province_code=values["zone"].province_code)


class EnterpriseYearsImporter(Importer):
    model = EnterpriseYear
    fields = tuple(c.key for c in ENTERPRISE_YEARS.columns if c.key not in ("uscc", "year"))

    def spec(self) -> KindSpec:
        return ENTERPRISE_YEARS

    def resolve(self, sheet: str, records: list[Record]) -> list[Problem]:
        usccs = {r.values.get("uscc") for r in records} - {None}
        in_scope = Enterprise.objects.restrict(self.user, "change").filter(uscc__in=usccs)
        self.enterprises = {e.uscc: e for e in in_scope.select_related("zone")}
        problems: list[Problem] = []
        for record in records:
            uscc = record.values.get("uscc")
            if uscc is not None and uscc not in self.enterprises:
                message = f"企业「{uscc}」{NOT_IN_SCOPE}"
                _invalid(record, _ref_problem(sheet, record, "uscc", uscc, message), problems)
        return problems

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (self.enterprises[values["uscc"]].pk, values["year"])

    def existing(self, records: list[Record]) -> dict[tuple[Any, ...], models.Model]:
        ids = [self.enterprises[r.values["uscc"]].pk for r in records if r.valid]
        years = {r.values["year"] for r in records if r.valid}
        rows = EnterpriseYear.objects.filter(enterprise_id__in=ids, year__in=years)
        return {(row.enterprise_id, row.year): row for row in rows}

    def new(self, values: dict[str, Any]) -> models.Model:
        enterprise = self.enterprises[values["uscc"]]
        return EnterpriseYear(
            enterprise=enterprise,
            zone=enterprise.zone,
            year=values["year"],
            province_code=enterprise.province_code,
        )


class ZoneYearsImporter(Importer):
    """Wide files (one column per indicator) stored long: one ZoneYear per filled cell."""

    model = ZoneYear
    fields = ("value",)

    def spec(self) -> KindSpec:
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        columns = tuple(
            Column(f"indicator:{i.code}", i.name, "decimal", i.unit)
            for i in self.indicators.values()
        )
        return KindSpec(
            ImportKind.ZONE_YEARS,
            "开发区年度指标",
            ZONE_YEARS_FIXED + columns,
            key=("zone", "year"),
        )

    def resolve(self, sheet: str, records: list[Record]) -> list[Problem]:
        self.zones = {z.code: z for z in Zone.objects.restrict(self.user, "change")}
        problems: list[Problem] = []
        for record in records:
            _lookup(
                sheet, record, "zone", self.zones, "开发区代码「{code}」" + NOT_IN_SCOPE, problems
            )
        return problems

    def rows(self, records: list[Record]) -> Iterable[dict[str, Any]]:
        for record in records:
            if not record.valid:
                continue
            for key, value in record.values.items():
                if key.startswith("indicator:") and value is not None:
                    yield {
                        "zone": record.values["zone"],
                        "year": record.values["year"],
                        "indicator": self.indicators[key.removeprefix("indicator:")],
                        "value": value,
                    }

    def key(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return (values["zone"].pk, values["year"], values["indicator"].pk)

    def existing(self, records: list[Record]) -> dict[tuple[Any, ...], models.Model]:
        zones = [r.values["zone"].pk for r in records if r.valid]
        years = {r.values["year"] for r in records if r.valid}
        rows = ZoneYear.objects.filter(zone_id__in=zones, year__in=years)
        return {(row.zone_id, row.year, row.indicator_id): row for row in rows}

    def new(self, values: dict[str, Any]) -> models.Model:
        zone = values["zone"]
        return ZoneYear(
            zone=zone,
            year=values["year"],
            indicator=values["indicator"],
            province_code=zone.province_code,
        )


IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.ZONES: ZonesImporter,
    ImportKind.ENTERPRISES: EnterprisesImporter,
    ImportKind.ENTERPRISE_YEARS: EnterpriseYearsImporter,
    ImportKind.ZONE_YEARS: ZoneYearsImporter,
}
