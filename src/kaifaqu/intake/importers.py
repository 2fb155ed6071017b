"""Per import kind: resolving references within the user's scope and turning the checked rows into
the model's columns. What is planned and written from those columns is in ``writing.py``.

References are resolved by joins against small lookup frames (the zones, regions, industries and
tags the user may use; the enterprises named by the file, fetched in chunks), so a file of 100,000
rows costs a few queries and no Python per row; problems are built for the rows that have one.
"""

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar, NamedTuple

import polars as pl
from django.db import models
from django.db.models import F, QuerySet
from django.utils import timezone

from kaifaqu.access.scope import regions_within_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Indicator, Industry, Region, Tag
from kaifaqu.core.bulk import read_frame
from kaifaqu.enterprises.models import PROFILE_FIELDS, Enterprise, EnterpriseYear
from kaifaqu.intake.choices import ImportKind
from kaifaqu.intake.columns import (
    ENTERPRISE_YEARS,
    ENTERPRISES,
    INVESTMENT_PROJECTS,
    INVESTMENT_STAGES,
    ZONE_YEARS_FIXED,
    ZONES,
)
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.forms import assignable_people
from kaifaqu.investment.models import Project, ProjectPackage, StageChange
from kaifaqu.spreadsheets.columns import FIELD, REFERENCE, Column, KindSpec
from kaifaqu.spreadsheets.problems import Problem
from kaifaqu.spreadsheets.validation import Checked
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone, ZoneYear

NOT_IN_SCOPE = "不在您的数据范围内(或尚未登记)"
REF_FIX = "核对代码;如确属新对象,请先登记"
LOOKUP_CHUNK = 5_000  # codes per IN (...) query: well inside every database's parameter limit


class Importer:
    model: ClassVar[type[models.Model]]
    fields: ClassVar[tuple[str, ...]]  # model fields the file sets (names, as the change log has)
    key_fields: ClassVar[tuple[str, ...]]  # attnames of the natural key
    m2m_fields: ClassVar[tuple[str, ...]] = ()
    # attnames set when a row is created and never by an update (where it belongs, whose it is)
    created_fields: ClassVar[tuple[str, ...]] = ("province_code",)

    def __init__(self, user: ActingUser) -> None:
        self.user = user

    def spec(self) -> KindSpec:
        raise NotImplementedError

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        """Add the referenced ids to ``checked.frame``; a row whose reference fails is invalid."""
        raise NotImplementedError

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Valid rows as model columns: key and created attnames, the attnames of the fields the
        file has, one id list per many-to-many field, and ``_repr`` (the object as ``str()``)."""
        raise NotImplementedError


def chunks(values: list[Any], size: int = LOOKUP_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def lookup_frame(
    querysets: Iterable[QuerySet[Any]], names: list[str], schema: dict[str, Any]
) -> pl.DataFrame:
    """``values_list(*names)`` of each queryset as one frame, its columns named and typed as
    ``schema`` says, in order."""
    named = dict(zip(names, schema, strict=True))
    typed = pl.Schema(schema)
    parts = (read_frame(queryset, names).rename(named).cast(typed) for queryset in querysets)
    return pl.concat([pl.DataFrame(schema=schema), *parts])


def unknown_references(
    sheet: str,
    checked: Checked,
    key: str,
    failed: pl.Expr,
    shown: pl.Expr,
    message: str,
) -> list[Problem]:
    """A problem for each row where ``failed``, naming the code ``shown``; those rows invalid."""
    frame = checked.frame.with_columns(_failed=failed.fill_null(False))
    rows = frame.filter("_failed").select("_row", shown.alias("code")).rows()
    checked.frame = frame.with_columns(_valid=pl.col("_valid") & ~pl.col("_failed")).drop("_failed")
    header = checked.headers.get(key, "")
    return [
        Problem(
            sheet,
            row,
            header,
            str(code),
            "unknown_reference",
            message.format(code=code),
            REF_FIX,
        )
        for row, code in rows
    ]


def resolve_code(
    sheet: str, checked: Checked, key: str, table: dict[str, Any], column: str, message: str
) -> list[Problem]:
    """The id of the code in ``key`` as ``column``; an unknown code is a problem."""
    if key not in checked.frame.columns:
        return []
    code = pl.col(key)
    ids = code.replace_strict(table, default=None, return_dtype=pl.Int64)
    checked.frame = checked.frame.with_columns(ids.alias(column))
    failed = code.is_not_null() & pl.col(column).is_null()
    return unknown_references(sheet, checked, key, failed, code, message)


def resolve_codes(
    sheet: str, checked: Checked, key: str, table: dict[str, int], message: str
) -> list[Problem]:
    """A list of codes in ``key`` as a list of ids; the unknown ones, joined with 、, a problem."""
    if key not in checked.frame.columns:  # the file leaves the stored lists as they are
        return []
    codes = pl.col(key).fill_null([])
    unknown = codes.list.eval(pl.element().filter(~pl.element().is_in(list(table))))
    unknown_text = unknown.list.join("、")
    checked.frame = checked.frame.with_columns(_unknown=unknown_text)
    problems = unknown_references(
        sheet, checked, key, pl.col("_unknown") != "", pl.col("_unknown"), message
    )
    ids = codes.list.eval(pl.element().replace_strict(table, default=None, return_dtype=pl.Int64))
    checked.frame = checked.frame.with_columns(ids.alias(key)).drop("_unknown")
    return problems


class ReferenceCheck(NamedTuple):
    """What a reference column (对照列) of yearly files is checked against, and the warning.

    The warning points at the USCC first: a valid code of another enterprise passes every other
    check, and only the name or codes the file carries beside it give the typo away.
    """

    registered: str  # the column of the enterprise lookup with the registry's value
    code: str
    message: str  # {registered}: the registry's value
    fix: str


# By column key; every reference column of the spec has one.
REFERENCE_CHECKS = {
    "name": ReferenceCheck(
        "_name",
        "name_mismatch",
        "企业名称与登记名称「{registered}」不一致",
        "核对统一社会信用代码是否填错;名称变更请先更新企业名录",
    ),
    "zone": ReferenceCheck(
        "_zone_code",
        "zone_mismatch",
        "开发区代码与登记的开发区代码「{registered}」不一致",
        "核对统一社会信用代码是否填错;企业迁入其他开发区请先更新企业名录",
    ),
    "industry": ReferenceCheck(
        "_industry_code",
        "industry_mismatch",
        "行业代码与登记的行业代码「{registered}」不一致",
        "核对统一社会信用代码是否填错;行业变更请先更新企业名录",
    ),
}


def reference_mismatches(sheet: str, checked: Checked, column: Column) -> list[Problem]:
    """A warning for each row whose reference column differs from the registry's value for its
    enterprise; blank cells and rows naming no enterprise of the user's aside."""
    if column.key not in checked.frame.columns:
        return []
    check = REFERENCE_CHECKS[column.key]
    file, registered = pl.col(column.key), pl.col(check.registered)
    # Equal text first, which is nearly every row: normalising is for the few that are not.
    candidates = checked.frame.filter(
        pl.col("enterprise_id").is_not_null() & file.is_not_null() & file.ne_missing(registered)
    )
    differs = comparable(file).ne_missing(comparable(registered))
    rows = candidates.filter(differs).select("_row", file, registered).rows()
    header = checked.headers[column.key]
    return [
        Problem(
            sheet,
            row,
            header,
            value,
            check.code,
            check.message.format(registered=stored) if stored else f"企业名录中未登记{column.name}",
            check.fix,
            "warning",
        )
        for row, value, stored in rows
    ]


def comparable(text: pl.Expr) -> pl.Expr:
    """Text as ``headers.normalise`` has it: full-width as half-width, without whitespace."""
    return text.str.normalize("NFKC").str.replace_all(r"\s+", "")


def file_fields(importer: Importer, rows: pl.DataFrame) -> list[str]:
    """Attnames of the importer's fields, many-to-many ones included, that the file sets."""
    names = [model_field(importer.model, name).attname for name in importer.fields]
    return [name for name in [*names, *importer.m2m_fields] if name in rows.columns]


def model_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A field of the model itself (never the reverse side of a relation)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


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

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        regions = Region.objects.filter(regions_within_condition(self.user, "change"))
        self.provinces = dict(regions.values_list("pk", "province_code"))
        codes = dict(regions.values_list("code", "pk"))
        industries = dict(Industry.objects.filter(level="division").values_list("code", "pk"))
        message = "区划代码「{code}」" + NOT_IN_SCOPE
        problems = resolve_code(sheet, checked, "region", codes, "region_id", message)
        message = "未知的行业大类代码:{code}"
        return problems + resolve_codes(sheet, checked, "leading_industries", industries, message)

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        province = pl.col("region_id").replace_strict(self.provinces, return_dtype=pl.String)
        return rows.select(
            *file_fields(self, rows),
            province.alias("province_code"),
            pl.col("name").alias("_repr"),
        )


class EnterprisesImporter(Importer):
    model = Enterprise
    key_fields = ("uscc",)
    fields = PROFILE_FIELDS
    m2m_fields = ("tags",)

    def spec(self) -> KindSpec:
        return ENTERPRISES

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        zones = Zone.objects.restrict(self.user, "change")
        self.zones = {
            pk: (region, province)
            for pk, region, province in zones.values_list("pk", "region_id", "province_code")
        }
        industries = dict(Industry.objects.filter(level="division").values_list("code", "pk"))
        tags = dict(Tag.objects.values_list("name", "pk"))
        problems = self._registered_elsewhere(sheet, checked)
        message = "开发区代码「{code}」" + NOT_IN_SCOPE
        zone_codes = dict(zones.values_list("code", "pk"))
        problems += resolve_code(sheet, checked, "zone", zone_codes, "zone_id", message)
        message = "未知的行业大类代码「{code}」"
        problems += resolve_code(sheet, checked, "industry", industries, "industry_id", message)
        return problems + resolve_codes(sheet, checked, "tags", tags, "标签库中没有:{code}")

    def _registered_elsewhere(self, sheet: str, checked: Checked) -> list[Problem]:
        """Enterprises the file names that exist outside the user's scope."""
        usccs = checked.frame["uscc"].drop_nulls().unique().to_list()
        mine = Enterprise.objects.restrict(self.user, "change").values("pk")
        foreign = {
            uscc
            for part in chunks(usccs)
            for uscc in Enterprise.objects.filter(uscc__in=part)
            .exclude(pk__in=mine)
            .values_list("uscc", flat=True)
        }
        frame = checked.frame.with_columns(_foreign=pl.col("uscc").is_in(list(foreign)))
        rows = frame.filter("_foreign").select("_row", "uscc").rows()
        checked.frame = frame.with_columns(_valid=pl.col("_valid") & ~pl.col("_foreign"))
        checked.frame = checked.frame.drop("_foreign")
        header = checked.headers.get("uscc", "")
        return [
            Problem(
                sheet,
                row,
                header,
                uscc,
                "not_in_scope",
                "该企业已登记在您的数据范围之外",
                "请联系上级主管部门",
            )
            for row, uscc in rows
        ]

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        zone = pl.col("zone_id")
        region = zone.replace_strict({k: v[0] for k, v in self.zones.items()}, default=None)
        province = zone.replace_strict(
            {k: v[1] for k, v in self.zones.items()}, return_dtype=pl.String
        )
        rows = rows.with_columns(region.cast(pl.Int64).alias("region_id"))
        return rows.select(
            *file_fields(self, rows),
            province.alias("province_code"),
            pl.col("name").alias("_repr"),
        )


class EnterpriseYearsImporter(Importer):
    model = EnterpriseYear
    key_fields = ("enterprise_id", "year")
    fields = tuple(
        c.key for c in ENTERPRISE_YEARS.columns if c.use == FIELD and c.key not in ("uscc", "year")
    )
    created_fields = ("zone_id", "province_code")

    def spec(self) -> KindSpec:
        return ENTERPRISE_YEARS

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        usccs = checked.frame["uscc"].drop_nulls().unique().to_list()
        in_scope = Enterprise.objects.restrict(self.user, "change")
        enterprises = lookup_frame(
            (in_scope.filter(uscc__in=part) for part in chunks(usccs)),
            ["uscc", "pk", "zone_id", "province_code", "name", "zone__code", "industry__code"],
            {
                "uscc": pl.String,
                "enterprise_id": pl.Int64,
                "zone_id": pl.Int64,
                "province_code": pl.String,
                "_name": pl.String,
                "_zone_code": pl.String,
                "_industry_code": pl.String,
            },
        )
        checked.frame = checked.frame.join(
            enterprises, on="uscc", how="left", maintain_order="left"
        )
        failed = pl.col("uscc").is_not_null() & pl.col("enterprise_id").is_null()
        message = "企业「{code}」" + NOT_IN_SCOPE
        problems = unknown_references(sheet, checked, "uscc", failed, pl.col("uscc"), message)
        if "zone" in checked.frame.columns:
            self._zones_of_stored_years(checked, in_scope)
        for column in ENTERPRISE_YEARS.columns:
            if column.use == REFERENCE:
                problems += reference_mismatches(sheet, checked, column)
        checked.frame = checked.frame.drop("_zone_code", "_industry_code")
        return problems

    def _zones_of_stored_years(self, checked: Checked, enterprises: QuerySet[Enterprise]) -> None:
        """``_zone_code``: the zone of the stored year where the file's row has one (an
        enterprise that moved stays in its old zone for its old years), else the current one.

        Only the years stored in another zone than their enterprise's are fetched, for the
        file's years, in one query: few rows, where a re-imported file would fetch all of its."""
        years = checked.frame["year"].drop_nulls().unique().to_list()
        elsewhere = EnterpriseYear.objects.filter(year__in=years, enterprise__in=enterprises)
        elsewhere = elsewhere.exclude(zone_id=F("enterprise__zone_id")).order_by()
        stored = lookup_frame(
            [elsewhere],
            ["enterprise_id", "year", "zone__code"],
            {"enterprise_id": pl.Int64, "year": pl.Int64, "_year_zone": pl.String},
        )
        frame = checked.frame.join(
            stored, on=["enterprise_id", "year"], how="left", maintain_order="left"
        )
        zone = pl.coalesce("_year_zone", "_zone_code").alias("_zone_code")
        checked.frame = frame.with_columns(zone).drop("_year_zone")

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        # EnterpriseYear.__str__: the enterprise and the year
        shown = pl.concat_str([pl.col("_name"), pl.col("year").cast(pl.String)], separator=" ")
        return rows.select(
            "enterprise_id",
            "year",
            "zone_id",
            "province_code",
            *file_fields(self, rows),
            shown.alias("_repr"),
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

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        zones = Zone.objects.restrict(self.user, "change")
        self.zones = {
            pk: (name, province)
            for pk, name, province in zones.values_list("pk", "name", "province_code")
        }
        codes = dict(zones.values_list("code", "pk"))
        message = "开发区代码「{code}」" + NOT_IN_SCOPE
        return resolve_code(sheet, checked, "zone", codes, "zone_id", message)

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        indicators = [c for c in rows.columns if c.startswith("indicator:")]
        long = rows.unpivot(indicators, index=["zone_id", "year"], variable_name="indicator")
        by_code = {f"indicator:{code}": i.pk for code, i in self.indicators.items()}
        shown = {f"indicator:{code}": str(i) for code, i in self.indicators.items()}
        zone = pl.col("zone_id")
        # ZoneYear.__str__: the zone, the year and the indicator
        text = pl.concat_str(
            [
                zone.replace_strict(
                    {k: v[0] for k, v in self.zones.items()}, return_dtype=pl.String
                ),
                pl.col("year").cast(pl.String),
                pl.col("indicator").replace_strict(shown, return_dtype=pl.String),
            ],
            separator=" ",
        )
        return long.filter(pl.col("value").is_not_null()).select(
            "zone_id",
            "year",
            pl.col("indicator")
            .replace_strict(by_code, return_dtype=pl.Int64)
            .alias("indicator_id"),
            "value",
            zone.replace_strict(
                {k: v[1] for k, v in self.zones.items()}, return_dtype=pl.String
            ).alias("province_code"),
            text.alias("_repr"),
        )


class ActionImporter(Importer):
    """An import whose rows are written one by one by the domain's actions (each a transition
    with its own rules and history), not by the set-based writer; its undo is the domain's too."""

    def commit(self, rows: pl.DataFrame) -> None:
        raise NotImplementedError

    def undo(self, request_id: Any, *, acting_user: ActingUser) -> int:
        raise NotImplementedError


def _code_elsewhere(
    sheet: str, checked: Checked, key: str, codes_outside: set[str], message: str, fix: str
) -> list[Problem]:
    """A problem for each row naming a code that exists outside the user's scope."""
    frame = checked.frame.with_columns(_foreign=pl.col(key).is_in(list(codes_outside)))
    rows = frame.filter("_foreign").select("_row", key).rows()
    checked.frame = frame.with_columns(_valid=pl.col("_valid") & ~pl.col("_foreign"))
    checked.frame = checked.frame.drop("_foreign")
    header = checked.headers.get(key, "")
    return [Problem(sheet, row, header, code, "not_in_scope", message, fix) for row, code in rows]


class InvestmentProjectsImporter(Importer):
    """招商项目: new ones enter as 线索 (today), known ones (by 项目编号) have their facts updated;
    the stage is never set here."""

    model = Project
    key_fields = ("code",)
    # the stage column is checked, never written: stages move through the actions
    fields = tuple(c.key for c in INVESTMENT_PROJECTS.columns if c.key != "stage")
    created_fields = ("province_code", "stage", "stage_entered", "created", "created_by_id")

    def spec(self) -> KindSpec:
        return INVESTMENT_PROJECTS

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        zones = Zone.objects.restrict(self.user, "change")
        self.provinces = dict(zones.values_list("pk", "province_code"))
        codes = checked.frame["code"].drop_nulls().unique().to_list()
        mine = Project.objects.restrict(self.user, "change").values("pk")
        outside = {
            code
            for part in chunks(codes)
            for code in Project.objects.filter(code__in=part)
            .exclude(pk__in=mine)
            .values_list("code", flat=True)
        }
        problems = _code_elsewhere(
            sheet, checked, "code", outside, "该项目编号已登记在您的数据范围之外",
            "核对项目编号;确属他区项目请联系其所在开发区",
        )  # fmt: skip
        message = "开发区代码「{code}」" + NOT_IN_SCOPE
        zone_codes = dict(zones.values_list("code", "pk"))
        problems += resolve_code(sheet, checked, "zone", zone_codes, "zone_id", message)
        industries = dict(Industry.objects.filter(level="division").values_list("code", "pk"))
        message = "未知的行业大类代码「{code}」"
        problems += resolve_code(sheet, checked, "industry", industries, "industry_id", message)
        problems += self._people_and_units(sheet, checked)
        return problems + self._packages(sheet, checked) + self._stages(sheet, checked)

    def _people_and_units(self, sheet: str, checked: Checked) -> list[Problem]:
        """The person in charge by user name or full name (a name two people share only by
        user name), the lead unit by name or alias (one two units share: by neither)."""
        people = list(assignable_people(self.user))
        full = Counter(p.get_full_name() for p in people)
        named = {p.get_full_name(): p.pk for p in people if full[p.get_full_name()] == 1}
        problems = resolve_code(
            sheet, checked, "person_in_charge", {**named, **{p.username: p.pk for p in people}},
            "person_in_charge_id",
            "项目负责人「{code}」不是您所在开发区的工作人员(姓名重名时请填用户名)",
        )  # fmt: skip
        units = Unit.objects.restrict(self.user).filter(active=True)
        names = [(name, u.pk) for u in units for name in (u.name, *u.aliases)]
        shared = Counter(name for name, _ in names)
        return problems + resolve_code(
            sheet, checked, "lead_unit", {n: pk for n, pk in names if shared[n] == 1},
            "lead_unit_id", "牵头单位「{code}」不在您的数据范围内(或名称对应多个单位)",
        )  # fmt: skip

    def _packages(self, sheet: str, checked: Checked) -> list[Problem]:
        """The package by name among those of the row's zone (the newest year's, where a
        name recurs)."""
        if "package" not in checked.frame.columns:
            return []
        packages = ProjectPackage.objects.restrict(self.user).order_by("year")
        table = {
            f"{zone}|{name}": pk for zone, name, pk in packages.values_list("zone_id", "name", "pk")
        }
        key = pl.concat_str([pl.col("zone_id").cast(pl.String), pl.col("package")], separator="|")
        ids = key.replace_strict(table, default=None, return_dtype=pl.Int64)
        checked.frame = checked.frame.with_columns(ids.alias("package_id"))
        failed = (
            pl.col("package").is_not_null()
            & pl.col("zone_id").is_not_null()
            & pl.col("package_id").is_null()
        )
        message = "项目所在开发区没有名为「{code}」的产业集群项目包"
        return unknown_references(sheet, checked, "package", failed, pl.col("package"), message)

    def _stages(self, sheet: str, checked: Checked) -> list[Problem]:
        """A stage given must be where the project stands: 线索 for a new one."""
        if "stage" not in checked.frame.columns:
            return []
        codes = checked.frame["code"].drop_nulls().unique().to_list()
        stored = {
            code: stage
            for part in chunks(codes)
            for code, stage in Project.objects.restrict(self.user, "change")
            .filter(code__in=part)
            .values_list("code", "stage")
        }
        frame = checked.frame.filter(pl.col("_valid") & pl.col("stage").is_not_null())
        problems = []
        for row, code, stage in frame.select("_row", "code", "stage").rows():
            standing = stored.get(code, Stage.LEAD)
            if stage != standing:
                message = f"项目阶段须为「{Stage(standing).label}」:本导入不改变阶段"
                fix = "阶段的推进请用「招商项目阶段更新」导入或在项目页面办理"
                header = checked.headers["stage"]
                label = Stage(stage).label
                problems.append(Problem(sheet, row, header, label, "stage_not_here", message, fix))
        refused = [p.row for p in problems]
        checked.frame = checked.frame.with_columns(
            _valid=pl.col("_valid") & ~pl.col("_row").is_in(refused)
        )
        return problems

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        province = pl.col("zone_id").replace_strict(self.provinces, return_dtype=pl.String)
        today = timezone.localdate()
        user = getattr(self.user, "pk", None)
        return rows.select(
            *file_fields(self, rows),
            province.alias("province_code"),
            pl.lit(Stage.LEAD.value).alias("stage"),
            pl.lit(today).alias("stage_entered"),
            pl.lit(timezone.now()).alias("created"),
            pl.lit(user, pl.Int64).alias("created_by_id"),
            pl.col("name").alias("_repr"),
        )


# Evidence each stage needs in a file (files cannot travel in a spreadsheet: a document's number
# stands for it; the file itself is added on the project's page).
NEEDS = {
    Stage.SIGNED: (("contract_amount", "签约须填写签约金额"), ("reference", "签约须填写合同编号")),
    Stage.REGISTERED: (("uscc", "注册须填写统一社会信用代码"),),
    Stage.STARTED: (("reference", "开工须填写施工许可证号"),),
    Stage.PAUSED: (("note", "暂缓须填写原因"),),
    Stage.TERMINATED: (("note", "终止须填写原因"),),
}


class InvestmentStagesImporter(ActionImporter):
    """招商项目阶段更新: each row a transition of a project the user may change, checked in file
    order against the project's stage (so the preview shows every refusal), written through the
    pipeline's actions; an undo appends reversing entries (撤销)."""

    model = StageChange
    key_fields = ("project_id", "to_stage", "occurred_on")
    fields = ("project", "to_stage", "occurred_on")
    created_fields = ("province_code",)

    def spec(self) -> KindSpec:
        return INVESTMENT_STAGES

    def resolve(self, sheet: str, checked: Checked) -> list[Problem]:
        codes = checked.frame["project"].drop_nulls().unique().to_list()
        projects = lookup_frame(
            (
                Project.objects.restrict(self.user, "change").filter(code__in=part)
                for part in chunks(codes)
            ),
            ["code", "pk", "province_code", "stage", "stage_entered", "name"],
            {
                "project": pl.String,
                "project_id": pl.Int64,
                "province_code": pl.String,
                "_stage": pl.String,
                "_entered": pl.Date,
                "_name": pl.String,
            },
        )
        checked.frame = checked.frame.join(
            projects, on="project", how="left", maintain_order="left"
        )
        failed = pl.col("project").is_not_null() & pl.col("project_id").is_null()
        message = "项目编号「{code}」" + NOT_IN_SCOPE
        problems = unknown_references(sheet, checked, "project", failed, pl.col("project"), message)
        return problems + self._transitions(sheet, checked)

    def _transitions(self, sheet: str, checked: Checked) -> list[Problem]:
        """Replay the file's rows per project in order: each must be the project's next step
        with its evidence; a refused row leaves the project where it was for the next."""
        from kaifaqu.investment.actions import next_stage

        known = set(
            Enterprise.objects.restrict(self.user)
            .filter(uscc__in=checked.frame["uscc"].drop_nulls().unique().to_list())
            .values_list("uscc", flat=True)
        ) if "uscc" in checked.frame.columns else set()  # fmt: skip
        state: dict[int, tuple[str, Any, str]] = {}  # stage, entered, stage before a pause
        problems, refused = [], []
        headers = checked.headers
        for row in checked.frame.filter("_valid").iter_rows(named=True):
            pk = row["project_id"]
            stage, entered, paused_from = state.get(pk, (row["_stage"], row["_entered"], ""))
            if stage == Stage.PAUSED and not paused_from:
                paused_from = self._paused_from(pk)
            target, on = row["to_stage"], row["occurred_on"]
            allowed = {next_stage(stage)} - {None}
            if stage == Stage.PAUSED:
                allowed = {paused_from, Stage.TERMINATED}
            elif stage not in (Stage.OPERATING, Stage.TERMINATED):
                allowed |= {Stage.PAUSED, Stage.TERMINATED}
            problem = None
            if target not in allowed:
                names = "、".join(Stage(s).label for s in allowed if s) or "无(已是最终阶段)"
                problem = (
                    "to_stage", str(Stage(target).label), "stage_order",
                    f"项目「{row['_name']}」当前为「{Stage(stage).label}」,只能变更为:{names}",
                    "按阶段顺序逐行填写;先导入之前的阶段",
                )  # fmt: skip
            elif on > timezone.localdate() or (entered is not None and on < entered):
                problem = (
                    "occurred_on", str(on), "bad_date",
                    f"发生日期须在 {entered} 与今天之间",
                    "核对发生日期",
                )  # fmt: skip
            else:
                for key, text in NEEDS.get(Stage(target), ()):
                    if row.get(key) in (None, ""):
                        problem = (
                            key,
                            "",
                            "missing_evidence",
                            text,
                            f"补填「{headers.get(key) or key}」列",
                        )
                        break
                if problem is None and target == Stage.REGISTERED and row["uscc"] not in known:
                    problem = (
                        "uscc", row["uscc"], "unknown_enterprise",
                        f"企业库中没有统一社会信用代码为 {row['uscc']} 的企业"
                        "(或不在您的数据范围内)",
                        "请先在企业名录中登记该企业,再导入注册",
                    )  # fmt: skip
            if problem is not None:
                key, value, code, text, fix = problem
                problems.append(
                    Problem(sheet, row["_row"], headers.get(key) or key, value, code, text, fix)
                )
                refused.append(row["_row"])
                continue
            state[pk] = (target, on, stage if target == Stage.PAUSED else "")
        checked.frame = checked.frame.with_columns(
            _valid=pl.col("_valid") & ~pl.col("_row").is_in(refused)
        )
        return problems

    def _paused_from(self, pk: int) -> str:
        last = (
            StageChange.objects.filter(project_id=pk, to_stage=Stage.PAUSED)
            .order_by("-recorded_at", "-pk")
            .values_list("from_stage", flat=True)
            .first()
        )
        return last or ""

    def values(self, rows: pl.DataFrame) -> pl.DataFrame:
        extra = [c for c in ("contract_amount", "uscc", "reference", "note") if c in rows.columns]
        shown = pl.concat_str([pl.col("_name"), pl.col("to_stage")], separator=" → ")
        return rows.select(
            "project_id", "to_stage", "occurred_on", "province_code", "_row", *extra,
            shown.alias("_repr"),
        )  # fmt: skip

    def commit(self, rows: pl.DataFrame) -> None:
        from kaifaqu.investment import actions

        projects = Project.objects.in_bulk(rows["project_id"].unique().to_list())
        for row in rows.sort("_row").iter_rows(named=True):
            project = projects[row["project_id"]]
            target, on = row["to_stage"], row["occurred_on"]
            note = row.get("note") or ""
            if target in (Stage.PAUSED, Stage.TERMINATED):
                act = actions.pause if target == Stage.PAUSED else actions.terminate
                act(project, reason=note, occurred_on=on, acting_user=self.user)
            elif project.stage == Stage.PAUSED:
                actions.resume(project, note=note, occurred_on=on, acting_user=self.user)
            else:
                evidence = actions.Evidence(
                    occurred_on=on,
                    contract_amount=row.get("contract_amount"),
                    uscc=row.get("uscc") or "",
                    reference=row.get("reference") or "",
                    note=note,
                )
                actions.advance(project, target, evidence, acting_user=self.user)
            project.refresh_from_db()

    def undo(self, request_id: Any, *, acting_user: ActingUser) -> int:
        from kaifaqu.investment import actions

        try:
            return actions.undo_request(request_id, acting_user=acting_user)
        except actions.Refused as refusal:
            from kaifaqu.intake.actions import UndoRefused

            raise UndoRefused(str(refusal)) from refusal


IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.ZONES: ZonesImporter,
    ImportKind.ENTERPRISES: EnterprisesImporter,
    ImportKind.ENTERPRISE_YEARS: EnterpriseYearsImporter,
    ImportKind.ZONE_YEARS: ZoneYearsImporter,
    ImportKind.INVESTMENT_PROJECTS: InvestmentProjectsImporter,
    ImportKind.INVESTMENT_STAGES: InvestmentStagesImporter,
}
