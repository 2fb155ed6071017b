"""The one xlsx writer and the one CSV writer every list export goes through. Plain Python (no
Django), so the spreadsheets package, which must not load Django, writes through it too.

xlsx is written in XlsxWriter's constant-memory mode, row by row to a temporary file, and CSV is
produced a row at a time, so a list of any length is never held whole in memory. String cells
that a spreadsheet would run as a formula (= + - @, tab, CR, NUL first) are written with a
leading apostrophe, which reading strips again; numbers stay numbers. Date-times are written as
they come (the caller gives local time).
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_xlsx(
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    target: str | IO[bytes],
) -> None:
    """Write one sheet to ``target`` (a path or a binary file) in constant-memory mode: each row
    goes to a temporary file as it is written (rows must come in order, which they do)."""
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_numbers": False},
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E8F0FB"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(sheet_name[:31])  # Excel's limit on a sheet name
    for col, header in enumerate(headers):
        sheet.set_column(col, col, max(10, len(header) * 2))
        sheet.write_string(0, col, header, bold)
    sheet.freeze_panes(1, 0)
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            _write_cell(sheet, row_index, col, value, day)
    workbook.close()


def _write_cell(sheet: Any, row: int, col: int, value: Any, day: Any) -> None:
    if value is None:
        return
    if isinstance(value, str):
        sheet.write_string(row, col, neutralise(value))
    elif isinstance(value, bool | int | float):
        sheet.write(row, col, value)
    elif isinstance(value, Decimal):
        sheet.write_number(row, col, float(value))
    elif isinstance(value, datetime):
        sheet.write_string(row, col, value.strftime("%Y-%m-%d %H:%M"))
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, day)
    else:
        sheet.write_string(row, col, neutralise(str(value)))


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """CSV in UTF-8 with a BOM, so Excel opens it in the right encoding; one chunk a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else neutralise(_text(v)) for v in row])
        yield buffer.getvalue()


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)
