"""Bonus and penalty points as a clerk enters them, one form or a whole file: every cell checked
and every problem named by row and column before anything is written.

The file's columns are those of the page's export, so an exported list can be edited and sent
back; columns the import does not read (企业名称, 录入人 …) are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation
from typing import Any

from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.uscc import uscc_problem
from kaifaqu.core.uploads import upload_limit
from kaifaqu.enterprises.models import Enterprise
from kaifaqu.mujun.choices import PointsKind
from kaifaqu.mujun.models import PointsEntry
from kaifaqu.spreadsheets.reading import Limits, ReadError, read_table

# File header → the form field of the same cell.
FIELDS = {
    "统一社会信用代码": "uscc",
    "年度": "year",
    "类别": "kind",
    "分值": "points",
    "事项": "item",
    "依据文号": "evidence",
}
# The template names 类别's two values in its header, in full-width or ASCII brackets.
HEADER_ALIASES = {"类别（加分/扣分）": "类别", "类别(加分/扣分)": "类别"}
KINDS = {str(label): value for value, label in PointsKind.choices}  # 加分 → bonus
YEARS = (2000, 2100)
MAX_POINTS = Decimal("9999.99")  # the column holds 6 digits, 2 after the point
TEXT_LENGTH = 120
HEADER_FIX = "请使用导出文件或模板的列名:" + "、".join(FIELDS)


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # as Excel shows it; None for a form or the file as a whole
    column: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row is not None else ""
        column = f"「{self.column}」列" if self.column else ""
        return f"{where}{column}:{self.message}({self.fix})"


@dataclass(frozen=True)
class EntryFields:
    """One checked row: what :func:`kaifaqu.mujun.actions.add_points` takes."""

    enterprise: Enterprise
    year: int
    kind: str
    points: Decimal
    item: str
    evidence: str

    def as_kwargs(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def form_row(data: Mapping[str, str]) -> dict[str, object]:
    """A posted form as a file row, so both go through :func:`check_rows`."""
    return {header: data.get(field, "") for header, field in FIELDS.items()}


def read_file(
    data: bytes, file_name: str, user: ActingUser
) -> tuple[list[EntryFields], list[RowProblem]]:
    """The file's rows checked for ``user``; any problem means nothing is to be written."""
    try:
        table = read_table(
            data,
            file_name,
            header_candidates=[*FIELDS, *HEADER_ALIASES],
            limits=Limits(max_bytes=upload_limit()),
        )
    except ReadError as error:
        return [], [RowProblem(None, "", f"{file_name}:{error.message}", error.fix)]
    positions: dict[str, int] = {}
    for i, header in enumerate(table.header):
        name = HEADER_ALIASES.get(str(header).strip(), str(header).strip())
        if name in FIELDS:
            positions.setdefault(name, i)
    missing = [name for name in FIELDS if name not in positions]
    if missing:
        return [], [RowProblem(table.header_row, n, "缺少此列", HEADER_FIX) for n in missing]
    if not table.numbers:
        return [], [RowProblem(None, "", f"{file_name}:没有数据行", "请在表头下逐行填写")]
    rows = [
        (number, {name: cells[i] for name, i in positions.items()}) for number, cells in table.rows
    ]
    return check_rows(rows, user)


def check_rows(
    rows: Sequence[tuple[int | None, Mapping[str, object]]], user: ActingUser
) -> tuple[list[EntryFields], list[RowProblem]]:
    """Each row's cells as an entry ``user`` may write, or every problem found."""
    codes = {_text(values.get("统一社会信用代码")).upper() for _, values in rows}
    enterprises = {
        e.uscc: e for e in Enterprise.objects.restrict(user, "change").filter(uscc__in=codes)
    }
    # Unrestricted on purpose: the check must see every entry the unique constraint sees.
    seen = set(
        PointsEntry.objects.filter(enterprise__in=list(enterprises.values())).values_list(
            "enterprise_id", "year", "kind", "item", "evidence"
        )
    )
    entries: list[EntryFields] = []
    problems: list[RowProblem] = []
    for number, values in rows:
        found: list[RowProblem] = []
        cells = {name: _cell(name, values.get(name), enterprises) for name in FIELDS}
        for name, (_, message, fix) in cells.items():
            if message:
                found.append(RowProblem(number, name, message, fix))
        if not found:
            value = {name: cell[0] for name, cell in cells.items()}
            entry = EntryFields(
                enterprise=value["统一社会信用代码"],
                year=value["年度"],
                kind=value["类别"],
                points=value["分值"],
                item=value["事项"],
                evidence=value["依据文号"],
            )
            key = (entry.enterprise.pk, entry.year, entry.kind, entry.item, entry.evidence)
            if key in seen:
                found.append(
                    RowProblem(
                        number,
                        "事项",
                        "该企业本年度已有相同事项、相同文号的记录",
                        "同一文件同一事项只录入一次;若确有多笔,请在事项中区分",
                    )
                )
            seen.add(key)
            entries.append(entry)
        problems += found
    return (entries, []) if not problems else ([], problems)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a number typed into a text column comes back as 2024.0
    return "" if value is None else str(value).strip()


Checked = tuple[Any, str, str]  # (value, problem, fix); problem "" when the cell is good


def _cell(name: str, raw: object, enterprises: dict[str, Enterprise]) -> Checked:
    text = _text(raw)
    if not text:
        return None, "不能为空", f"请填写{name}"
    if name == "统一社会信用代码":
        return _enterprise(text.upper(), enterprises)
    if name == "年度":
        return _year(text)
    if name == "类别":
        if text not in KINDS:
            return None, f"「{text}」不是类别", "请填写「加分」或「扣分」"
        return KINDS[text], "", ""
    if name == "分值":
        return _points(text)
    if len(text) > TEXT_LENGTH:
        return None, f"超过{TEXT_LENGTH}字(现{len(text)}字)", "请精简"
    return text, "", ""


def _enterprise(code: str, enterprises: dict[str, Enterprise]) -> Checked:
    if problem := uscc_problem(code):
        return None, problem, "请核对统一社会信用代码"
    if code not in enterprises:
        return None, "没有该企业,或该企业不在您的数据范围内", "只能为本辖区已登记的企业录入"
    return enterprises[code], "", ""


def _year(text: str) -> Checked:
    if not text.isdecimal() or not YEARS[0] <= int(text) <= YEARS[1]:
        return None, f"「{text}」不是年度", "请填写四位年份,如 2024"
    return int(text), "", ""


def _points(text: str) -> Checked:
    try:
        points = Decimal(text)
    except InvalidOperation:
        return None, f"「{text}」不是数字", "请填写分值,如 3 或 0.5"
    if not points.is_finite() or points <= 0:
        return None, f"分值须大于0(现{text})", "扣分也填正数,类别填「扣分」"
    if points > MAX_POINTS or points != points.quantize(Decimal("0.01")):
        return None, f"分值「{text}」超出范围或多于两位小数", "请填写0.01至9999.99之间的分值"
    return points.quantize(Decimal("0.01")), "", ""
