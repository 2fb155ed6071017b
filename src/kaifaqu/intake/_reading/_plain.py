"""A plain xlsx sheet read straight into typed columns: the fast path for large clean files.

python-calamine hands every cell to Python, which for a 100,000-row sheet costs more than the parse
itself; fastexcel (calamine underneath as well) builds Arrow columns in Rust. It is used only where
it gives exactly the table the cell-by-cell reader (``_workbook``) would give, and ``read_plain``
says ``None`` for any other sheet, which the cell-by-cell reader then reads or refuses with its own
words. A plain sheet:

- starts at A1 with its header in row 1, so fastexcel's rows and columns are Excel's;
- merges no cells and holds no formula without a cached value and no error cell;
- has one type per column (text, numbers, booleans or dates without a time of day), which
  fastexcel's strict coercion checks on every row, so a header repeated in a column of numbers
  falls back too;
- has header cells that are unique and plainly text (a number or date in the header is written
  by fastexcel in its own way, a repeated one renamed);
- is within every limit.

fastexcel carries its own copy of calamine; ``tests/test_plain.py`` checks that both readers give
the same table, for the corpus and for generated sheets.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence

import fastexcel
import polars as pl

from ._grid import row_texts
from ._types import Limits, Table
from ._zipsafe import CellFindings

__all__ = ["read_plain"]

# fastexcel logs a warning for every empty column, which in a clerk's file is no news.
logging.getLogger("fastexcel.types.dtype").setLevel(logging.ERROR)

TYPES = {"string", "float", "boolean", "datetime"}  # fastexcel's; a column of blanks is "string"
# python-calamine gives a date (not a datetime) for a date cell at midnight, and its own types for
# the first days of Excel's calendar (where Excel counts a 29 February 1900 that never was).
FIRST_PLAIN_DATE = dt.date(1900, 3, 1)
# Header cells that may not be text: fastexcel writes numbers, dates and booleans as Rust does.
NOT_PLAIN_TEXT = re.compile(r"[\d\s.:/+\-eE]+|true|false", re.IGNORECASE)
RENAMED = re.compile(r"(.*)_\d+", re.DOTALL)  # fastexcel's second "a" is "a_1"
# What Python's str.strip() and str.isspace() take for whitespace (Polars' own is narrower).
SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
FIRST_DATA_ROW = 2


def read_plain(
    data: bytes, file_name: str, sheet: str, limits: Limits, findings: CellFindings | None
) -> Table | None:
    """The sheet as a table of typed columns, or ``None`` when it is not plain."""
    if not _plain_cells(findings):
        return None
    try:
        loaded = fastexcel.read_excel(data).load_sheet(
            sheet, header_row=0, schema_sample_rows=None, dtype_coercion="strict"
        )
        columns = loaded.available_columns()
    except fastexcel.FastExcelError:
        return None
    header = _header(columns, limits)
    last_row = loaded.total_height + FIRST_DATA_ROW - 1
    if header is None or last_row > limits.max_rows or len(header) > limits.max_columns:
        return None
    frame = _dates(_without_empty_text(loaded.to_polars()))
    if frame is None or _too_long(frame, limits):
        return None
    return _table(file_name, sheet, header, frame)


def _plain_cells(findings: CellFindings | None) -> bool:
    return (
        findings is not None
        and findings.a1_filled
        and not findings.merged
        and not findings.formula_total
        and not findings.error_total
    )


def _header(columns: Sequence[fastexcel.ColumnInfo], limits: Limits) -> list[str] | None:
    """The header as the cell-by-cell reader gives it, or ``None`` if fastexcel may differ."""
    names = [column.name for column in columns]
    header = []
    for column in columns:
        if column.dtype not in TYPES:
            return None
        if column.column_name_from == "generated" or not column.name.strip():  # an empty cell
            header.append("")
            continue
        renamed = RENAMED.fullmatch(column.name)
        if renamed and renamed.group(1) in names:
            return None
        if NOT_PLAIN_TEXT.fullmatch(column.name) or len(column.name) > limits.max_cell_chars:
            return None
        header.append(column.name.strip())
    return header


def _without_empty_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty text cells as ``None``, as the cell-by-cell reader makes them."""
    return frame.with_columns(pl.when(pl.col(pl.String) != "").then(pl.col(pl.String)).name.keep())


def _dates(frame: pl.DataFrame) -> pl.DataFrame | None:
    """Date columns as dates, as the cell-by-cell reader gives them; ``None`` if a cell has a
    time of day or an early date, which it gives otherwise."""
    stamps = pl.col(pl.Datetime)
    odd = frame.select(
        ((stamps.dt.truncate("1d") != stamps) | (stamps.dt.date() < FIRST_PLAIN_DATE)).any()
    )
    if odd.width and any(odd.row(0)):
        return None
    return frame.with_columns(stamps.dt.date())


def _too_long(frame: pl.DataFrame, limits: Limits) -> bool:
    longest = frame.select(pl.col(pl.String).str.len_chars().max())
    return bool(longest.width) and any((n or 0) > limits.max_cell_chars for n in longest.row(0))


def _table(file_name: str, sheet: str, header: list[str], frame: pl.DataFrame) -> Table:
    frame = frame.with_row_index("_number", offset=FIRST_DATA_ROW)
    cells = [name for name in frame.columns if name != "_number"]
    blank = pl.all_horizontal(
        pl.col(name).is_null()
        | (pl.col(name).str.strip_chars(SPACE) == "" if frame[name].dtype == pl.String else False)
        for name in cells
    )
    frame = frame.filter(~blank)
    repeated = _repeated_header_rows(frame, cells, header)
    if repeated:
        frame = frame.filter(~pl.col("_number").is_in(repeated))
    return Table(
        file_name,
        "xlsx",
        None,
        sheet,
        header,
        1,
        frame["_number"].cast(pl.Int64).to_list(),
        [frame[name] for name in cells],
        repeated,
    )


def _repeated_header_rows(frame: pl.DataFrame, cells: list[str], header: list[str]) -> list[int]:
    """Rows identical to the header, found as ``collect`` finds them: the first named column
    first, the whole row only where that matches. That column is text, or the header would not
    have been plain."""
    first = next((i for i, text in enumerate(header) if text), 0)
    if frame[cells[first]].dtype != pl.String:
        return []
    candidates = frame.filter(pl.col(cells[first]).str.strip_chars(SPACE) == header[first])
    wanted = row_texts(header)
    return [row[0] for row in candidates.iter_rows() if row_texts(row[1:]) == wanted]
