"""Every row and field of a table checked at once: typed records and the complete problem list."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kaifaqu.intake.cells import PARSERS
from kaifaqu.intake.columns import Column, KindSpec
from kaifaqu.intake.headers import Mapping
from kaifaqu.intake.problems import CellError, Problem, raw_text
from kaifaqu.intake.reading import Table


@dataclass
class Record:
    row: int  # as Excel shows it
    values: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written
    valid: bool = True


def parse_rows(
    table: Table, spec: KindSpec, mapping: Mapping
) -> tuple[list[Record], list[Problem]]:
    problems = [
        Problem(
            table.sheet,
            row,
            "",
            "",
            "repeated_header",
            "表头在数据中重复出现,已跳过该行",
            "删除重复的表头行",
            "warning",
        )
        for row in table.repeated_header_rows
    ]
    records = []
    # column key → header as written; one dict for the file, shared by every record
    headers = {c.key: table.header[i] for i, c in enumerate(mapping.columns) if c is not None}
    for row_number, cells in table.rows:
        record = Record(row_number, {}, headers)
        for index, column in enumerate(mapping.columns):
            if column is None:
                continue
            value = cells[index] if index < len(cells) else None
            header = table.header[index]
            problem = _parse_cell(
                table.sheet, row_number, header, value, column, mapping.factors[index], record
            )
            if problem:
                problems.append(problem)
                record.valid = False
        records.append(record)
    problems += _duplicates(table.sheet, spec, records)
    return records, problems


def _parse_cell(
    sheet: str,
    row: int,
    header: str,
    value: object,
    column: Column,
    factor: Decimal,
    record: Record,
) -> Problem | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            return Problem(
                sheet, row, header, "", "required", f"「{column.name}」必须填写", "补充该单元格"
            )
        record.values[column.key] = [] if column.type == "list" else None
        return None
    try:
        parsed = PARSERS[column.type](value, column)
    except CellError as error:
        return Problem(sheet, row, header, raw_text(value), error.code, error.message, error.fix)
    if isinstance(parsed, Decimal) and column.type == "decimal":
        if factor != 1:
            parsed = parsed * factor
        problem = _range(sheet, row, header, value, column, parsed)
        if problem:
            return problem
    elif isinstance(parsed, int) and column.minimum is not None and parsed < column.minimum:
        return _range(sheet, row, header, value, column, Decimal(parsed))
    record.values[column.key] = parsed
    return None


def _range(
    sheet: str, row: int, header: str, value: object, column: Column, number: Decimal
) -> Problem | None:
    if column.minimum is not None and number < column.minimum:
        what = "不能为负数" if column.minimum == 0 else f"不能小于{column.minimum}"
        return Problem(
            sheet,
            row,
            header,
            raw_text(value),
            "out_of_range",
            f"「{column.name}」{what}",
            "核对数值和单位",
        )
    if column.maximum is not None and number > column.maximum:
        return Problem(
            sheet,
            row,
            header,
            raw_text(value),
            "out_of_range",
            f"「{column.name}」不能大于{column.maximum}",
            "核对数值和单位",
        )
    return None


def _duplicates(sheet: str, spec: KindSpec, records: list[Record]) -> list[Problem]:
    problems = []
    first: dict[tuple[Any, ...], int] = {}
    for record in records:
        key = tuple(record.values.get(k) for k in spec.key)
        if None in key:
            continue
        if key in first:
            label = "、".join(str(part) for part in key)
            problems.append(
                Problem(
                    sheet,
                    record.row,
                    record.headers.get(spec.key[0], ""),
                    label,
                    "duplicate_key",
                    f"与第{first[key]}行重复({label})",
                    "删除重复行或合并数据",
                )
            )
            record.valid = False
        else:
            first[key] = record.row
    return problems


def sanity_warnings(sheet: str, records: list[Record]) -> list[Problem]:
    """Cross-field checks on yearly statistics: not refused, but worth a second look."""
    checks = (
        ("value_added", "industrial_output", "工业增加值大于工业总产值"),
        ("main_business_revenue", "operating_revenue", "主营业务收入大于营业收入"),
    )
    problems = []
    for record in records:
        for small, large, message in checks:
            a, b = record.values.get(small), record.values.get(large)
            if a is not None and b is not None and a > b:
                problems.append(
                    Problem(
                        sheet,
                        record.row,
                        record.headers.get(small, ""),
                        str(a),
                        "implausible",
                        message,
                        "核对两项数据",
                        "warning",
                    )
                )
    return problems
