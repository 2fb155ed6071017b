"""What calamine does not tell about an ODS sheet: merged cells and formulas without a value;
and how far its tables reach, repeats counted, before calamine builds them.

``content.xml`` is parsed as a stream (its DOCTYPE check has passed): for merges and formulas only
the chosen table, and only as far as needed (to the header row for merges, to the end for
formulas); for the tables' reach all of it, stopping at the first table beyond the limits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from . import _errors
from ._places import SHOWN, cell_name
from ._types import Limits

__all__ = ["OdsFindings", "check_reach", "scan_table"]

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")


@dataclass
class OdsFindings:
    merged: list[str] = field(default_factory=list)  # ranges touching the header row
    formulas: list[str] = field(default_factory=list)
    formula_total: int = 0


@dataclass
class _Cursor:
    in_table: bool = False
    row: int = 0  # 0-based index of the row being read
    column: int = 0


def scan_table(
    chunks: Iterable[bytes], sheet: str, header_row: int, *, formulas: bool
) -> OdsFindings:
    """Merges in ``header_row`` (1-based) and, if asked, formula cells without a cached value."""
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    found = OdsFindings()
    cursor = _Cursor()
    try:
        for chunk in chunks:
            parser.feed(chunk)
            for item in parser.read_events():
                # Only start and end were asked for, so every item is (event, element).
                event, element = item[0], item[-1]
                if not isinstance(element, Element):
                    continue
                if _step(event, element, sheet, header_row - 1, cursor, found):
                    return found
                if not formulas and cursor.in_table and cursor.row >= header_row:
                    return found
    except ParseError:
        pass  # calamine has read the table already; a broken tail only ends the scan
    return found


def _step(
    event: str, element: Element, sheet: str, header: int, cursor: _Cursor, found: OdsFindings
) -> bool:
    """Advance over one parser event; ``True`` once the chosen table has ended."""
    tag = element.tag
    if tag == TABLE + "table":
        if event == "start" and element.get(TABLE + "name") == sheet:
            cursor.in_table = True
        elif event == "end" and cursor.in_table:
            return True
    elif not cursor.in_table:
        return False
    elif tag == TABLE + "table-row":
        if event == "start":
            cursor.column = 0
        else:
            cursor.row += int(element.get(TABLE + "number-rows-repeated", "1"))
            element.clear()
    elif tag in CELLS and event == "start":
        repeat = int(element.get(TABLE + "number-columns-repeated", "1"))
        _cell(element, cursor, header, repeat, found)
        cursor.column += repeat
    return False


def _cell(element: Element, cursor: _Cursor, header: int, repeat: int, found: OdsFindings) -> None:
    rows = int(element.get(TABLE + "number-rows-spanned", "1"))
    columns = int(element.get(TABLE + "number-columns-spanned", "1"))
    if (rows > 1 or columns > 1) and cursor.row <= header < cursor.row + rows:
        first = cell_name(cursor.row + 1, cursor.column)
        last = cell_name(cursor.row + rows, cursor.column + columns - 1)
        found.merged.append(f"{first}:{last}")
    if element.get(TABLE + "formula") and element.get(OFFICE + "value-type") is None:
        found.formula_total += repeat
        if len(found.formulas) < SHOWN:
            found.formulas.append(cell_name(cursor.row + 1, cursor.column))


@dataclass
class _Reach:
    """Where a table's rows and cells with content end, 1-based, repeats counted."""

    name: str = ""
    row: int = 0  # rows passed, repeats counted
    column: int = 0  # cells passed in the current row
    row_filled: bool = False
    last_row: int = 0
    last_column: int = 0

    def start(self, name: str) -> None:
        self.name, self.row, self.column, self.row_filled = name, 0, 0, False
        self.last_row = self.last_column = 0


def check_reach(chunks: Iterable[bytes], file_name: str, limits: Limits) -> None:
    """Refuse a table whose content reaches beyond the limits, counting
    ``number-rows-repeated`` and ``number-columns-repeated``: a row of one cell repeated a million
    times is a million rows to calamine. Empty rows and cells repeated at a table's end are free
    (LibreOffice writes them for formatted areas, and calamine skips them)."""
    parser: XMLPullParser[Element] = XMLPullParser(events=("start", "end"))
    reach = _Reach()
    try:
        for chunk in chunks:
            parser.feed(chunk)
            for item in parser.read_events():
                event, element = item[0], item[-1]
                if isinstance(element, Element):
                    _reach_step(event, element, reach, limits)
    except ParseError:
        raise _errors.truncated_file(file_name) from None
    except ValueError:  # a repeat that is not a number
        raise _errors.truncated_file(file_name) from None


def _reach_step(event: str, element: Element, reach: _Reach, limits: Limits) -> None:
    tag = element.tag
    if tag == TABLE + "table":
        if event == "start":
            reach.start(element.get(TABLE + "name", ""))
        else:
            _check_area(reach, limits)
            element.clear()
    elif tag == TABLE + "table-row" and event == "start":
        reach.column, reach.row_filled = 0, False
    elif tag == TABLE + "table-row":
        repeat = int(element.get(TABLE + "number-rows-repeated", "1"))
        if reach.row_filled:
            reach.last_row = reach.row + repeat
            if reach.last_row > limits.max_rows:
                raise _errors.too_many_rows(reach.name, reach.last_row, limits.max_rows)
            _check_area(reach, limits)
        reach.row += repeat
        element.clear()
    elif tag in CELLS and event == "end":
        repeat = int(element.get(TABLE + "number-columns-repeated", "1"))
        if element.get(OFFICE + "value-type") is not None or len(element):
            reach.row_filled = True
            reach.last_column = max(reach.last_column, reach.column + repeat)
            if reach.last_column > limits.max_columns:
                raise _errors.too_many_columns(reach.name, reach.last_column, limits.max_columns)
        reach.column += repeat


def _check_area(reach: _Reach, limits: Limits) -> None:
    if reach.last_row * reach.last_column > limits.max_cells:
        raise _errors.too_many_cells(
            reach.name, reach.last_row, reach.last_column, limits.max_cells
        )
