"""Every row and field of a table checked at once: typed columns and the complete problem list.

Each column is read whole (``columnar.read_column``); the checks across columns (repeated keys,
implausible pairs of figures) are expressions over the typed frame. Problems are built only for the
cells that have one, so a clean file costs a few vector operations per column.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl

from kaifaqu.spreadsheets.cells import read_cell
from kaifaqu.spreadsheets.columnar import read_column
from kaifaqu.spreadsheets.columns import Column, KindSpec
from kaifaqu.spreadsheets.headers import Mapping
from kaifaqu.spreadsheets.problems import Problem, raw_text
from kaifaqu.spreadsheets.reading import Cells, Table

# Cross-field checks on yearly statistics: not refused, but worth a second look.
CHECKS = (
    ("value_added", "industrial_output", "工业增加值大于工业总产值"),
    ("main_business_revenue", "operating_revenue", "主营业务收入大于营业收入"),
)


@dataclass
class Checked:
    """A table's rows as typed columns (one per mapped column key), and what is wrong with them.

    ``frame`` has ``_row`` (as Excel shows it) and ``_valid`` (no error so far) besides the keys.
    """

    frame: pl.DataFrame
    problems: list[Problem]
    headers: dict[str, str]  # column key → header as written


@dataclass
class Record:
    """One row as Python values, for callers that want rows (the offline 亩均 evaluation)."""

    row: int  # as Excel shows it
    values: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written
    valid: bool = True


def parse_rows(
    table: Table, spec: KindSpec, mapping: Mapping
) -> tuple[list[Record], list[Problem]]:
    """``check_table`` as one record per row."""
    checked = check_table(table, spec, mapping)
    keys = [name for name in checked.frame.columns if not name.startswith("_")]
    rows = checked.frame.select("_row", "_valid", *keys).iter_rows()
    records = [
        Record(row, dict(zip(keys, values, strict=True)), checked.headers, valid)
        for row, valid, *values in rows
    ]
    return records, checked.problems


def check_table(table: Table, spec: KindSpec, mapping: Mapping) -> Checked:
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
    headers = {c.key: table.header[i] for i, c in enumerate(mapping.columns) if c is not None}
    rows = table.numbers
    columns: list[pl.Series] = [pl.Series("_row", rows, dtype=pl.Int64)]
    found: list[tuple[int, int, Problem]] = []  # (row index, column index, problem)
    raw: dict[str, tuple[Cells, Column, Decimal]] = {}
    for index, column in enumerate(mapping.columns):
        if column is None:
            continue
        cells = table.columns[index]
        raw[column.key] = (cells, column, mapping.factors[index])
        read = read_column(cells, column, mapping.factors[index])
        columns.append(read.values)
        for i, error in read.errors:
            value = "" if error.code == "required" else raw_text(cells[i])
            where = (table.sheet, rows[i], table.header[index], value)
            found.append((i, index, Problem(*where, error.code, error.message, error.fix)))
    found.sort(key=lambda item: item[:2])  # row by row, as the file reads
    bad = {i for i, _, _ in found}
    frame = pl.DataFrame(columns).with_columns(
        _valid=~pl.Series(range(len(rows))).is_in(list(bad)) if bad else pl.lit(True)
    )
    problems += [problem for _, _, problem in found]
    frame, duplicates = _duplicates(table.sheet, spec, frame, headers)
    problems += duplicates + _implausible(table.sheet, frame, headers, raw)
    return Checked(frame, problems, headers)


def _duplicates(
    sheet: str, spec: KindSpec, frame: pl.DataFrame, headers: dict[str, str]
) -> tuple[pl.DataFrame, list[Problem]]:
    """Rows whose natural key an earlier row already has (rows with a blank key part aside)."""
    keys = list(spec.key)
    if not set(keys) <= set(frame.columns) or frame.is_empty():
        return frame, []
    complete = pl.all_horizontal(pl.col(k).is_not_null() for k in keys)
    first = pl.when(complete).then(pl.col("_row").first().over(keys))
    frame = frame.with_columns(_first=first)
    repeated = pl.col("_first").is_not_null() & (pl.col("_first") != pl.col("_row"))
    label = pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator="、")
    found = frame.filter(repeated).select("_row", "_first", label.alias("label"))
    problems = [
        Problem(
            sheet,
            row,
            headers.get(spec.key[0], ""),
            label,
            "duplicate_key",
            f"与第{first}行重复({label})",
            "删除重复行或合并数据",
        )
        for row, first, label in found.iter_rows()
    ]
    frame = frame.with_columns(_valid=pl.col("_valid") & ~repeated).drop("_first")
    return frame, problems


def _implausible(
    sheet: str,
    frame: pl.DataFrame,
    headers: dict[str, str],
    raw: dict[str, tuple[Cells, Column, Decimal]],
) -> list[Problem]:
    """Pairs of figures the wrong way round. The frame holds values cut after 12 places, so it
    finds the candidates and the exact values (which the message shows) decide."""
    found: list[tuple[int, int, Problem]] = []
    for order, (small, large, message) in enumerate(CHECKS):
        if small not in frame.columns or large not in frame.columns:
            continue
        candidates = frame.with_row_index("i").filter(pl.col(small) >= pl.col(large))
        for i, row in candidates.select("i", "_row").iter_rows():
            a, b = (read_cell(raw[key][0][i], *raw[key][1:]) for key in (small, large))
            if a > b:  # type: ignore[operator]
                problem = Problem(
                    sheet,
                    row,
                    headers.get(small, ""),
                    str(a),
                    "implausible",
                    message,
                    "核对两项数据",
                    "warning",
                )
                found.append((i, order, problem))
    return [problem for _, _, problem in sorted(found, key=lambda item: item[:2])]
