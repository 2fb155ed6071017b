"""Matching a file's headers to a kind's columns, by name or through the alias table."""

import difflib
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from kaifaqu.spreadsheets.columns import IGNORED, MONEY_UNITS, Column
from kaifaqu.spreadsheets.problems import Problem

_UNIT = re.compile(r"^(.*?)\(([^()]*)\)$")
# The same unit written differently in bureaus' files, by the spelling the vocabulary uses. Areas
# and volumes are spelled out (平方米, not m²): a GBK (CP936) file cannot hold the superscript, and
# NFKC has already turned m² and ㎡ into m2.
UNIT_SYNONYMS = {
    "吨": "t",
    "m2": "平方米",
    "m3": "立方米",
    "km2": "平方公里",
    "万千瓦时": "万kWh",
    "吨标煤": "吨标准煤",
}


def normalise(header: str) -> str:
    """Full-width to half-width (（万元） → (万元)), no spaces or line breaks."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", header))


def canonical_unit(unit: str) -> str:
    """A unit in the vocabulary's spelling, each side of a ratio on its own: m³/万元 is read as
    立方米/万元."""
    parts = normalise(unit).split("/")
    return "/".join(UNIT_SYNONYMS.get(part, part) for part in parts)


def split_unit(header: str) -> tuple[str, str]:
    """(name, unit) of a header such as 实缴税收(万元); units in one canonical spelling."""
    match = _UNIT.match(normalise(header))
    if not match:
        return normalise(header), ""
    return match.group(1), canonical_unit(match.group(2))


@dataclass(frozen=True)
class Mapping:
    """File column i holds ``columns[i]`` (None: ignored), its values times ``factors[i]``."""

    columns: list[Column | None]
    factors: list[Decimal]


def match_headers(
    sheet: str,
    header: list[str],
    columns: tuple[Column, ...],
    aliases: dict[str, str],
    money_unit: str,
) -> tuple[Mapping, list[Problem]]:
    by_name: dict[str, Column] = {}
    for column in columns:
        by_name[normalise(column.name)] = column
    by_key = {column.key: column for column in columns}
    for alias, key in aliases.items():
        if key in by_key:
            by_name[normalise(alias)] = by_key[key]
    problems: list[Problem] = []
    mapped: list[Column | None] = []
    factors: list[Decimal] = []
    for text in header:
        matched, factor, problem = _match_one(sheet, text, by_name, money_unit)
        mapped.append(None if matched and matched.use == IGNORED else matched)
        factors.append(factor)
        if problem:
            problems.append(problem)
    problems += _missing_and_repeated(sheet, header, mapped, columns)
    return Mapping(mapped, factors), problems


Match = tuple[Column | None, Decimal, Problem | None]


def _match_one(sheet: str, text: str, by_name: dict[str, Column], money_unit: str) -> Match:
    if not text:
        return None, Decimal(1), None  # an unnamed column is ignored, as Excel users expect
    whole = normalise(text)
    name, unit = split_unit(text)
    column = by_name.get(whole) or by_name.get(name)
    if column is None:
        known = sorted({c.header for c in by_name.values()})
        close = difflib.get_close_matches(name, [split_unit(k)[0] for k in known], n=1, cutoff=0.4)
        hint = f"是否应为「{close[0]}」?" if close else "请对照模板的表头"
        return _refused(sheet, text, "unknown_header", f"无法识别的表头「{text}」", hint)
    if by_name.get(whole) is column and whole != normalise(column.header):
        unit = ""  # the alias itself carried the unit text
    if not column.money:
        if unit and unit != canonical_unit(column.unit):
            message = f"「{column.name}」的单位应为{column.unit},文件中为{unit}"
            fix = f"换算为{column.unit}后填写,并把表头改为「{column.header}」"
            return _refused(sheet, text, "unit_mismatch", message, fix)
        return column, Decimal(1), None
    unit = unit or money_unit
    if unit not in MONEY_UNITS:
        message = f"「{column.name}」的金额单位「{unit}」无法识别"
        return _refused(sheet, text, "unknown_unit", message, "金额单位请用 元、万元 或 亿元")
    return column, MONEY_UNITS[unit], None


def _refused(sheet: str, text: str, code: str, message: str, fix: str) -> Match:
    """A header that maps to no column: ignored, with the problem that says why."""
    return None, Decimal(1), Problem(sheet, None, text, text, code, message, fix)


def _missing_and_repeated(
    sheet: str, header: list[str], mapped: list[Column | None], columns: tuple[Column, ...]
) -> list[Problem]:
    problems = []
    seen: dict[str, str] = {}
    for text, column in zip(header, mapped, strict=True):
        if column is None:
            continue
        if column.key in seen:
            problems.append(
                Problem(
                    sheet,
                    None,
                    text,
                    text,
                    "repeated_column",
                    f"「{text}」与「{seen[column.key]}」是同一列",
                    "删除重复的一列",
                )
            )
        seen.setdefault(column.key, text)
    for column in columns:
        if column.required and column.key not in seen:
            problems.append(
                Problem(
                    sheet,
                    None,
                    column.header,
                    "",
                    "missing_column",
                    f"缺少必填列「{column.header}」",
                    "按模板补上这一列",
                )
            )
    return problems
