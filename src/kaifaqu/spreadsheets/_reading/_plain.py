"""A plain xlsx sheet read straight into typed columns: the fast path for large clean files.

python-calamine hands every cell to Python, which for a 100,000-row sheet costs more than the parse
itself; fastexcel (calamine underneath as well) builds Arrow columns in Rust. It is used only where
it gives exactly the table the cell-by-cell reader (``_workbook``) would give, and ``read_plain``
says ``None`` for any other sheet, which the cell-by-cell reader then reads or refuses with its own
words. A plain sheet:

- starts at A1 with its header in row 1, so fastexcel's rows and columns are Excel's;
- merges no cells and holds no formula without a cached value, no error cell, no ISO date cell
  and no boolean other than 0 or 1 (which the two readers' calamine versions read apart);
- has one type per column (text, numbers or booleans), which fastexcel's strict coercion checks
  on every row, so a header repeated in a column of numbers falls back too; dates fall back,
  since the two readers give them different types and ranges;
- has a header of text cells, each named and unique (fastexcel gives an empty cell, a boolean or
  a date in the header a made-up name, writes a number its own way and renames a repeated one);
- uses none of the built-in Chinese, Japanese and Korean date formats (ids 27–36 and 50–58),
  which python-calamine reads as dates and fastexcel's older calamine as numbers;
- is within every limit.

fastexcel carries its own, different version of calamine; ``tests/test_plain.py`` checks that
both readers give the same table, for the corpus, for hand-made XML and for generated sheets.
"""

from __future__ import annotations

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

TYPES = {"string", "float", "boolean"}  # fastexcel's names; a column of blanks is "string"
# Header cells that may not be text: fastexcel writes numbers as Rust does.
NOT_PLAIN_TEXT = re.compile(r"[\d\s.:/+\-eE]+|true|false", re.IGNORECASE)
RENAMED = re.compile(r"(.*)_\d+", re.DOTALL)  # fastexcel's second "a" is "a_1"
CJK_DATE_FORMATS = re.compile(rb'numFmtId="(?:2[7-9]|3[0-6]|5[0-8])"')
# What Python's str.strip() and str.isspace() take for whitespace (Polars' own is narrower).
SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
FIRST_DATA_ROW = 2


def read_plain(
    data: bytes,
    file_name: str,
    sheet: str,
    limits: Limits,
    findings: CellFindings | None,
    styles: bytes | None,
) -> Table | None:
    """The sheet as a table of typed columns, or ``None`` when it is not plain. ``styles`` is
    the workbook's style part (``b""`` if it has none, ``None`` if it was too large to keep)."""
    if not _plain_cells(findings) or styles is None or CJK_DATE_FORMATS.search(styles):
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
    frame = _without_empty_text(loaded.to_polars())
    if _too_long(frame, limits):
        return None
    return _table(file_name, sheet, header, frame)


def _plain_cells(findings: CellFindings | None) -> bool:
    return (
        findings is not None
        and findings.a1_filled
        and not findings.merged
        and not findings.odd_cells
        and not findings.formula_total
        and not findings.error_total
    )


def _header(columns: Sequence[fastexcel.ColumnInfo], limits: Limits) -> list[str] | None:
    """The header as the cell-by-cell reader gives it, or ``None`` if fastexcel may differ."""
    names = [column.name for column in columns]
    header = []
    for column in columns:
        if column.dtype not in TYPES or column.column_name_from != "looked_up":
            return None
        if not column.name.strip():  # spaces only, which the cell-by-cell reader strips too
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


def _too_long(frame: pl.DataFrame, limits: Limits) -> bool:
    longest = frame.select(pl.col(pl.String).str.len_chars().max())
    return bool(longest.width) and any((n or 0) > limits.max_cell_chars for n in longest.row(0))


def _table(file_name: str, sheet: str, header: list[str], frame: pl.DataFrame) -> Table:
    """The table without blank rows and repeated headers. Row numbers are kept beside the
    frame, not in it, where a header cell could have the same name."""
    numbers = pl.int_range(FIRST_DATA_ROW, FIRST_DATA_ROW + frame.height, eager=True)
    blank = frame.select(
        pl.all_horizontal(
            pl.col(name).is_null()
            | (pl.col(name).str.strip_chars(SPACE) == "" if dtype == pl.String else False)
            for name, dtype in frame.schema.items()
        )
    ).to_series()
    frame, numbers = frame.filter(~blank), numbers.filter(~blank)
    repeated = _repeated_header(frame, header)
    return Table(
        file_name,
        "xlsx",
        None,
        sheet,
        header,
        1,
        numbers.filter(~repeated).to_list(),
        list(frame.filter(~repeated).iter_columns()),
        numbers.filter(repeated).to_list(),
    )


def _repeated_header(frame: pl.DataFrame, header: list[str]) -> pl.Series:
    """Which rows are identical to the header, found as ``collect`` finds them: the first named
    column first, the whole row only where that matches. Only text can match text."""
    repeated = pl.repeat(False, frame.height, eager=True)
    first = next((i for i, text in enumerate(header) if text), 0)
    column = frame.to_series(first)
    if column.dtype != pl.String:
        return repeated
    wanted = row_texts(header)
    candidates = (column.str.strip_chars(SPACE) == header[first]).fill_null(False)
    found = [i for i in candidates.arg_true() if row_texts(frame.row(i)) == wanted]
    return repeated.scatter(found, True) if found else repeated
