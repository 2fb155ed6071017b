"""Per import kind: resolving references within the user's scope, the plan against the database
(insert, update, unchanged) and writing it. The change log gets one row per object changed."""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from kaifaqu.access.scope import region_condition, user_profile
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.context import current_context
from kaifaqu.audit.log import actor
from kaifaqu.audit.models import ObjectChange
from kaifaqu.catalog.models import Indicator, Industry, Region, Tag
from kaifaqu.core.bulk import insert_rows
from kaifaqu.enterprises.models import PROFILE_FIELDS, Enterprise, EnterpriseYear
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
    insert_keys: list[tuple[Any, ...]] = field(default_factory=list)
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
    key_fields: ClassVar[tuple[str, ...]]  # attnames of the natural key, as key() builds it
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

    def stored(self, records: list[Record]) -> QuerySet[Any]:
        """The stored rows the valid records may match, by natural key."""
        raise NotImplementedError

    def new(self, values: dict[str, Any]) -> models.Model:
        raise NotImplementedError

    def existing(self, records: list[Record]) -> dict[tuple[Any, ...], models.Model]:
        return {
            tuple(getattr(obj, f) for f in self.key_fields): obj for obj in self.stored(records)
        }

    def saved_ids(self, records: list[Record]) -> dict[tuple[Any, ...], Any]:
        """Natural key → primary key of the rows now stored (for rows just inserted)."""
        rows = self.stored(records).values_list(*self.key_fields, "pk")
        return {tuple(row[:-1]): row[-1] for row in rows}

    def rows(self, records: list[Record]) -> Iterable[dict[str, Any]]:
        return (record.values for record in records if record.valid)

    def plan(self, records: list[Record]) -> Plan:
        plan = Plan()
        existing = self.existing(records)
        for values in self.rows(records):
            key = self.key(values)
            obj = existing.get(key)
            if obj is None:
                obj = self.new(values)
                self._apply(obj, values)
                plan.inserts.append(obj)
                plan.insert_keys.append(key)
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
        for name, quantum in self._quanta().items():
            if name in values:
                value = values[name]
                if quantum is not None and value is not None:
                    value = value.quantize(quantum, rounding=ROUND_HALF_UP)
                setattr(obj, name, value)

    @functools.cache  # noqa: B019 - one importer per file; the cache lives as long as it does
    def _quanta(self) -> dict[str, Decimal | None]:
        """Per field, the step a decimal is stored to (so a re-import compares equal)."""
        quanta: dict[str, Decimal | None] = {}
        for name in self.fields:
            field = self.model._meta.get_field(name)
            is_decimal = isinstance(field, models.DecimalField)
            quanta[name] = Decimal(10) ** -field.decimal_places if is_decimal else None
        return quanta

    def _m2m_changed(self, obj: models.Model, values: dict[str, Any]) -> bool:
        return any(
            name in values and sorted(v.pk for v in values[name]) != self._current_m2m(obj, name)
            for name in self.m2m_fields
        )

    def _current_m2m(self, obj: models.Model, name: str) -> list[int]:
        return sorted(getattr(obj, name).values_list("pk", flat=True))

    def snapshot(self, obj: models.Model) -> dict[str, Any]:
        data = {name: json_value(getattr(obj, attname)) for name, attname in self._attnames()}
        if obj.pk is not None:
            for name in self.m2m_fields:
                data[name] = self._current_m2m(obj, name)
        return data

    def _attnames(self) -> list[tuple[str, str]]:
        meta = self.model._meta
        return [(name, meta.get_field(name).attname) for name in self.fields]

    def write(self, plan: Plan, records: list[Record]) -> None:
        """Insert, update and log, inside the caller's transaction."""
        columns = [f.attname for f in self.model._meta.concrete_fields if not f.primary_key]
        insert_rows(self.model, columns, ([getattr(o, c) for c in columns] for o in plan.inserts))
        if plan.inserts:
            saved = self.saved_ids(records)
            for key, obj in zip(plan.insert_keys, plan.inserts, strict=True):
                obj.pk = saved[key]
        if plan.updates:
            objs = [obj for obj, _ in plan.updates]
            self.model._default_manager.bulk_update(objs, list(self.fields), batch_size=2000)
        for obj in [*plan.inserts, *(o for o, _ in plan.updates)]:
            for name, values in plan.m2m.get(id(obj), {}).items():
                getattr(obj, name).set(values)
        self._log(plan)

    def _log(self, plan: Plan) -> None:
        """One change-log row per object written, all under the import's request id."""
        context, who, now = current_context(), actor(self.user), timezone.now()
        content_type = ContentType.objects.get_for_model(self.model)
        regions = dict(Zone.objects.values_list("pk", "region__code"))
        entries = [(ChangeAction.CREATE, obj, None) for obj in plan.inserts] + [
            (ChangeAction.UPDATE, obj, before) for obj, before in plan.updates
        ]
        shared = {
            "time": now,
            "user_id": who["user"].pk if who["user"] else None,
            "username": who["username"],
            "role": who["role"],
            "ip": context.ip,
            "channel": context.channel,
            "request_id": context.request_id,
            "content_type_id": content_type.pk,
        }
        rows = (
            {
                **shared,
                "action": action,
                "object_id": str(obj.pk),
                "object_repr": str(obj)[:200],
                "province_code": getattr(obj, "province_code", ""),
                "region_code": regions.get(self._zone_id(obj), ""),
                "before": before,
                "after": self.snapshot(obj),
            }
            for action, obj, before in entries
        )
        columns = [
            *shared,
            "action",
            "object_id",
            "object_repr",
            "province_code",
            "region_code",
            "before",
            "after",
        ]
        insert_rows(ObjectChange, columns, ([row[c] for c in columns] for row in rows))

    def _zone_id(self, obj: models.Model) -> Any:
        path: str = getattr(self.model, "scope_zone_path", "")
        return obj.pk if not path else getattr(obj, f"{path}_id")


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
        record.headers.get(key, ""),
        str(value),
        "unknown_reference",
        message,
        "核对代码;如确属新对象,请先登记",
    )


class ZonesImporter(Importer):
    model = Zone
    key_fields = ("code",)
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

    def stored(self, records: list[Record]) -> QuerySet[Any]:
        return Zone.objects.filter(code__in=[r.values["code"] for r in records if r.valid])

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
    key_fields = ("uscc",)
    fields = PROFILE_FIELDS
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
                    record.headers.get("uscc", ""),
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

    def stored(self, records: list[Record]) -> QuerySet[Any]:
        return Enterprise.objects.filter(uscc__in=[r.values["uscc"] for r in records if r.valid])

    def new(self, values: dict[str, Any]) -> models.Model:
        return Enterprise(province_code=values["zone"].province_code)


class EnterpriseYearsImporter(Importer):
    model = EnterpriseYear
    key_fields = ("enterprise_id", "year")
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

    def stored(self, records: list[Record]) -> QuerySet[Any]:
        ids = [self.enterprises[r.values["uscc"]].pk for r in records if r.valid]
        years = {r.values["year"] for r in records if r.valid}
        rows = EnterpriseYear.objects.filter(enterprise_id__in=ids, year__in=years)
        return rows.select_related("enterprise")

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
    key_fields = ("zone_id", "year", "indicator_id")
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

    def stored(self, records: list[Record]) -> QuerySet[Any]:
        zones = [r.values["zone"].pk for r in records if r.valid]
        years = {r.values["year"] for r in records if r.valid}
        return ZoneYear.objects.filter(zone_id__in=zones, year__in=years)

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
