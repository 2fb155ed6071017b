"""Reading one cell as its column's type. Each parser returns the value or raises CellError.

These are the definition of what a cell means and of every message about one. The columnar
reader (``columnar.py``) takes the plain cells of a column at once and hands every other cell
here, so an unusual but valid spelling and every mistake are read by this code alone.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from kaifaqu.catalog.uscc import uscc_problem
from kaifaqu.spreadsheets.columns import Column
from kaifaqu.spreadsheets.problems import CellError, raw_text

LIST_SEPARATORS = re.compile(r"[、,,;;\s]+")
DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_text(value: object, column: Column) -> str:
    text = raw_text(value).strip()
    # Our exports guard formula-like text with an apostrophe; take it off again.
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@"):
        return text[1:]
    return text


def parse_uscc(value: object, column: Column) -> str:
    if isinstance(value, int | float):
        raise CellError(
            "numeric_identifier",
            "统一社会信用代码被存成了数字:Excel 只保留15位有效数字,这个代码已经损坏",
            "把该列设为「文本」格式,再从原始来源重新粘贴代码",
        )
    code = raw_text(value).strip().upper()
    problem = uscc_problem(code)
    if problem is not None:
        raise CellError("invalid_uscc", problem, "核对营业执照上的统一社会信用代码")
    return code


def parse_decimal(value: object, column: Column) -> Decimal:
    if isinstance(value, bool):
        raise _not_a_number(column)
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = raw_text(value).strip().replace(",", "").replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _not_a_number(column) from None
    if not number.is_finite():
        raise _not_a_number(column)
    return number


def _not_a_number(column: Column) -> CellError:
    unit = f"(单位:{column.unit})" if column.unit else ""
    return CellError(
        "not_a_number", f"「{column.name}」应为数字{unit}", "只填数字,不要带单位或文字"
    )


def parse_integer(value: object, column: Column) -> int:
    number = parse_decimal(value, column)
    if number != number.to_integral_value():
        raise CellError("not_an_integer", f"「{column.name}」应为整数", "填写整数")
    return int(number)


def parse_year(value: object, column: Column) -> int:
    year = parse_integer(value, column)
    if not 1949 <= year <= 2100:
        raise CellError("bad_year", f"「{column.name}」应为四位年份", "填写如 2025 的四位年份")
    return year


def parse_date(value: object, column: Column) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = raw_text(value).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(
        "bad_date", f"「{column.name}」不是有效日期", "按 2025-03-31 的格式填写,或设为日期格式"
    )


def parse_choice(value: object, column: Column) -> str:
    text = raw_text(value).strip()
    for stored, label in column.choices:
        if text in (label, stored):
            return stored
    allowed = "、".join(label for _, label in column.choices)
    raise CellError("bad_choice", f"「{column.name}」只能是:{allowed}", "从下拉列表中选择")


def parse_bool(value: object, column: Column) -> bool:
    if isinstance(value, bool):
        return value
    return parse_choice(value, column) == "true"


def parse_list(value: object, column: Column) -> list[str]:
    return [part for part in LIST_SEPARATORS.split(raw_text(value).strip()) if part]


PARSERS = {
    "text": parse_text,
    "code": parse_text,
    "ref": parse_text,
    "uscc": parse_uscc,
    "decimal": parse_decimal,
    "integer": parse_integer,
    "year": parse_year,
    "date": parse_date,
    "choice": parse_choice,
    "bool": parse_bool,
    "list": parse_list,
}


def read_cell(value: object, column: Column, factor: Decimal) -> object:
    """The cell's value (None when blank) in the column's unit, or CellError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            raise required_error(column)
        return [] if column.type == "list" else None
    parsed = PARSERS[column.type](value, column)
    if isinstance(parsed, Decimal) and column.type == "decimal":
        if factor != 1:
            parsed = parsed * factor
        if column.minimum is not None and parsed < column.minimum:
            raise range_error(column, below=True)
        if column.maximum is not None and parsed > column.maximum:
            raise range_error(column, below=False)
    elif isinstance(parsed, int) and column.minimum is not None and parsed < column.minimum:
        raise range_error(column, below=True)
    return parsed


def required_error(column: Column) -> CellError:
    return CellError("required", f"「{column.name}」必须填写", "补充该单元格")


def range_error(column: Column, *, below: bool) -> CellError:
    if below:
        what = "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum}"
        return CellError("out_of_range", f"「{column.name}」{what}", "核对数值和单位")
    return CellError("out_of_range", f"「{column.name}」不能大于{column.maximum}", "核对数值和单位")
