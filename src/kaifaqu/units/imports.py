"""The unit registry from a spreadsheet: every row and cell checked, every problem named by row
and column, and nothing written unless the whole file is right (``actions.import_units``).

A row is a unit, found by its 所在区划 and 单位名称 (updated when registered, else created). Its
上级单位 is named as written: a unit of the registry or of an earlier row, by name or alias.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kaifaqu.catalog.models import Region
from kaifaqu.core.uploads import upload_limit
from kaifaqu.spreadsheets.problems import Problem
from kaifaqu.spreadsheets.reading import Limits, ReadError, read_table
from kaifaqu.units.choices import UnitKind
from kaifaqu.units.models import Unit
from kaifaqu.zones.models import Zone

COLUMNS = ("单位名称", "单位类别", "所在区划代码", "所属开发区代码", "上级单位", "别名")
REQUIRED = ("单位名称", "单位类别", "所在区划代码")
KINDS = {str(label): value for value, label in UnitKind.choices}
ALIAS_SEPARATORS = re.compile(r"[、,，;；\n]+")
NAME_LENGTH = 100


@dataclass(frozen=True)
class UnitRow:
    row: int
    name: str
    kind: str
    region: Region
    zone: Zone | None
    parent: str  # as written; resolved when the rows are written
    aliases: list[str]


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def read_units_file(data: bytes, file_name: str) -> tuple[list[UnitRow], list[Problem]]:
    """The file's rows, checked; any problem means nothing is to be written."""
    try:
        table = read_table(
            data, file_name, header_candidates=COLUMNS, limits=Limits(max_bytes=upload_limit())
        )
    except ReadError as error:
        return [], [Problem("", None, "", "", error.code, error.message, error.fix)]
    positions: dict[str, int] = {}
    for index, header in enumerate(table.header):
        if str(header).strip() in COLUMNS:
            positions.setdefault(str(header).strip(), index)
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        fix = "请使用以下列名:" + "、".join(COLUMNS)
        return [], [
            Problem(table.sheet, table.header_row, name, "", "missing_column", "缺少此列", fix)
            for name in missing
        ]
    rows = [
        (number, {name: _text(cells[i]) for name, i in positions.items()})
        for number, cells in table.rows
    ]
    return check_rows(table.sheet, rows)


def check_rows(
    sheet: str, rows: Sequence[tuple[int, Mapping[str, str]]]
) -> tuple[list[UnitRow], list[Problem]]:
    regions = {
        r.code: r for r in Region.objects.filter(code__in={v["所在区划代码"] for _, v in rows})
    }
    zone_codes = {v.get("所属开发区代码", "") for _, v in rows} - {""}
    zones = {z.code: z for z in Zone.objects.filter(code__in=zone_codes)}
    known = _known_names()
    checked: list[UnitRow] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in rows:
        found = _check_row(sheet, number, values, regions, zones)
        name, code = values.get("单位名称", ""), values.get("所在区划代码", "")
        if (code, name) in seen and name:
            found.append(
                _problem(sheet, number, "单位名称", name, "duplicate",
                         f"与第{seen[code, name]}行重复(同一区划、同名)", "每个单位只写一行")
            )  # fmt: skip
        seen.setdefault((code, name), number)
        parent = values.get("上级单位", "")
        if parent and parent not in known:
            found.append(
                _problem(sheet, number, "上级单位", parent, "unknown_parent",
                         "未登记的单位", "先登记上级单位,或将其写在本行之前")
            )  # fmt: skip
        if not found:
            aliases = [
                a.strip() for a in ALIAS_SEPARATORS.split(values.get("别名", "")) if a.strip()
            ]
            checked.append(
                UnitRow(number, name, KINDS[values["单位类别"]], regions[code],
                        zones.get(values.get("所属开发区代码", "")), parent, aliases)
            )  # fmt: skip
            known.add(name)
            known.update(aliases)
        problems += found
    return (checked if not problems else []), problems


def _known_names() -> set[str]:
    """Names and aliases of the registered units, as a 上级单位 may be written."""
    names: set[str] = set()
    for name, aliases in Unit.objects.values_list("name", "aliases"):
        names.add(name)
        names.update(aliases or [])
    return names


def _check_row(
    sheet: str,
    number: int,
    values: Mapping[str, str],
    regions: dict[str, Region],
    zones: dict[str, Zone],
) -> list[Problem]:
    found = []
    for column in REQUIRED:
        if not values.get(column):
            found.append(_problem(sheet, number, column, "", "required", "必填", "请填写此列"))
    name, kind = values.get("单位名称", ""), values.get("单位类别", "")
    code, zone_code = values.get("所在区划代码", ""), values.get("所属开发区代码", "")
    if len(name) > NAME_LENGTH:
        found.append(
            _problem(sheet, number, "单位名称", name, "too_long",
                     f"超过{NAME_LENGTH}字", "请使用单位全称的规范简写")
        )  # fmt: skip
    if kind and kind not in KINDS:
        found.append(
            _problem(sheet, number, "单位类别", kind, "choice",
                     "不是可选的单位类别", "可选:" + "、".join(KINDS))
        )  # fmt: skip
    if code and code not in regions:
        found.append(
            _problem(sheet, number, "所在区划代码", code, "unknown_region",
                     "未登记的行政区划代码", "填写6位行政区划代码,如 320100")
        )  # fmt: skip
    if zone_code and zone_code not in zones:
        found.append(
            _problem(sheet, number, "所属开发区代码", zone_code, "unknown_zone",
                     "未登记的开发区代码", "核对开发区代码,或留空")
        )  # fmt: skip
    elif zone_code and code in regions and zones[zone_code].region_id != regions[code].pk:
        found.append(
            _problem(sheet, number, "所属开发区代码", zone_code, "zone_region",
                     "开发区不在该区划内", "所在区划代码应为开发区所在区划")
        )  # fmt: skip
    return found


def _problem(
    sheet: str, row: int, column: str, value: str, code: str, message: str, fix: str
) -> Problem:
    return Problem(sheet, row, column, value, code, message, fix)


def describe(problem: Problem) -> str:
    """One line for the page: 第3行「单位类别」列(值「委办」):不是可选的单位类别(可选:…)."""
    where = f"第{problem.row}行" if problem.row is not None else ""
    column = f"「{problem.column}」列" if problem.column else ""
    value = f"(值「{problem.value}」)" if problem.value else ""
    return f"{where}{column}{value}:{problem.message}({problem.fix})"
