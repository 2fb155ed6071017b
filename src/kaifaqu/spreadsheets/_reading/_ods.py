"""What calamine does not tell about an ODS sheet: merged cells and formulas without a value.

``content.xml`` is parsed as a stream (its DOCTYPE check has passed) only for the chosen table,
and only as far as needed: to the header row for merges, to the end for formulas.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from ._places import SHOWN, cell_name

__all__ = ["OdsFindings", "scan_table"]

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
