"""From numbered raw rows to a table: where the header is, which rows are data, and the limits.

Every source (calamine or the csv module) yields ``(Excel row number, cells)`` with ``""`` for an
empty cell; this module is the one place that decides blank rows, the header and repeated headers,
so a CSV and a workbook with the same content give the same table.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from . import _errors
from ._places import cell_name
from ._types import Limits, Table

__all__ = [
    "Collected",
    "Peek",
    "collect",
    "header_text",
    "is_blank",
    "match_key",
    "peek_rows",
    "row_texts",
]

Row = tuple[int, list[object]]
# As a source yields it, "" for empty; the list is handed over and changed in place.
RawRow = tuple[int, list[Any]]
PEEK_ROWS = 10  # rows looked at to tell a header from a title above it


def header_text(value: object) -> str:
    """A header cell as text: ``2023.0`` → ``"2023"``, dates in ISO form, whitespace stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def match_key(text: str) -> str:
    """How header cells are compared with the caller's candidates when choosing a sheet: full-width
    forms folded (``(`` → ``(``) and all whitespace removed, as clerks break long headers."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def is_blank(cells: Sequence[object]) -> bool:
    # Returns at the first filled cell, which for a data row is nearly always the first one.
    for value in cells:
        if value is not None and value != "" and not (isinstance(value, str) and value.isspace()):
            return False
    return True


@dataclass(frozen=True)
class Peek:
    """The first non-blank rows of a sheet, as header texts, to choose the sheet and its header."""

    sheet: str
    rows: list[tuple[int, list[str]]]

    def matches(self, keys: Collection[str], index: int = 0) -> int:
        if index >= len(self.rows):
            return 0
        return sum(1 for text in self.rows[index][1] if text and match_key(text) in keys)

    def header_elsewhere(self, keys: Collection[str]) -> int | None:
        """The row number of a later row that looks like the header, if the first does not."""
        best = max(range(1, len(self.rows)), key=lambda i: self.matches(keys, i), default=None)
        if best is None or self.matches(keys, best) == 0:
            return None
        return self.rows[best][0]


def peek_rows(sheet: str, rows: Iterable[RawRow], count: int = PEEK_ROWS) -> Peek:
    found: list[tuple[int, list[str]]] = []
    for number, raw in rows:
        if not is_blank(raw):
            found.append((number, [header_text(v) for v in raw]))
            if len(found) == count:
                break
    return Peek(sheet, found)


@dataclass(frozen=True)
class Collected:
    header: list[str]
    header_row: int
    rows: list[Row]
    repeated_header_rows: list[int]

    def table(self, file_name: str, file_format: str, encoding: str | None, sheet: str) -> Table:
        return Table.from_rows(
            file_name,
            file_format,
            encoding,
            sheet,
            self.header,
            self.header_row,
            self.rows,
            self.repeated_header_rows,
        )


def collect(sheet: str, rows: Iterator[RawRow], limits: Limits) -> Collected:
    """Header from the first non-blank row, then the data rows, checking every limit on the way."""
    header_row, header_cells = _header(sheet, rows, limits)
    header = [header_text(v) for v in header_cells]
    data: list[Row] = []
    repeated: list[int] = []
    width = len(header)
    first = next((i for i, text in enumerate(header) if text), 0)
    header_texts = row_texts(header_cells)
    for number, raw in rows:
        cells = _cells(sheet, number, raw, limits)
        if cells is None:
            continue
        # Comparing the first header cell before the whole row keeps this check nearly free.
        if (
            len(cells) > first
            and header_text(cells[first]) == header[first]
            and row_texts(cells) == header_texts
        ):
            repeated.append(number)
            continue
        width = max(width, len(cells))
        data.append((number, cells))
    return Collected(_padded(header, width, ""), header_row, _padded_rows(data, width), repeated)


def _header(sheet: str, rows: Iterator[RawRow], limits: Limits) -> tuple[int, list[object]]:
    for number, raw in rows:
        cells = _cells(sheet, number, raw, limits)
        if cells is not None:
            return number, cells
    raise _errors.empty_sheet(sheet)


def _cells(sheet: str, number: int, raw: list[Any], limits: Limits) -> list[object] | None:
    """The row with ``None`` for empty cells (changed in place), or ``None`` for a blank row."""
    if number > limits.max_rows:
        raise _errors.too_many_rows(sheet, number, limits.max_rows)
    if len(raw) > limits.max_columns:
        # Only text rows get here: a sheet's width is checked before its rows are read.
        raise _errors.too_many_columns(sheet, len(raw), limits.max_columns, number)
    # list.index compares in C; a comprehension over every cell costs several times more.
    try:
        index = raw.index("")
        while True:
            raw[index] = None
            index = raw.index("", index + 1)
    except ValueError:
        pass
    if is_blank(raw):
        return None
    limit = limits.max_cell_chars
    if any(len(value) > limit for value in raw if type(value) is str):
        index, value = next((i, v) for i, v in enumerate(raw) if type(v) is str and len(v) > limit)
        raise _errors.cell_too_long(sheet, cell_name(number, index), len(value), limit)
    return raw


def row_texts(cells: Sequence[object]) -> list[str]:
    """The row's cells as header texts, without the empty ones at its end."""
    texts = [header_text(v) for v in cells]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _padded(cells: list[str], width: int, fill: str) -> list[str]:
    return cells + [fill] * (width - len(cells))


def _padded_rows(rows: list[Row], width: int) -> list[Row]:
    # Workbook rows all have the sheet's width already; only ragged CSV rows are extended.
    for _, cells in rows:
        if len(cells) < width:
            cells.extend([None] * (width - len(cells)))
    return rows
