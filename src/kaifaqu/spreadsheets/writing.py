"""Writing a table as xlsx or CSV under its columns' headers.

String cells that a spreadsheet would run as a formula (= + - @, tab, CR, NUL first) are written
with a leading apostrophe, which reading strips again; numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter

from kaifaqu.spreadsheets.columns import KindSpec

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_xlsx(spec: KindSpec, rows: Iterable[list[Any]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#E8F0FB"})
    day = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet = workbook.add_worksheet(spec.sheet)
    for col, column in enumerate(spec.written):
        sheet.write_string(0, col, column.header, bold)
        sheet.set_column(col, col, max(10, len(column.header) * 2))
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(row_index, col, neutralise(value))
            elif isinstance(value, Decimal):
                sheet.write_number(row_index, col, float(value))
            elif isinstance(value, date):
                sheet.write_datetime(row_index, col, value, day)
            elif value is not None:
                sheet.write(row_index, col, value)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def to_csv(spec: KindSpec, rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV in UTF-8 with a BOM, so Excel opens it in the right encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in spec.written])
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["" if v is None else neutralise(_text(v)) for v in row])
        yield buffer.getvalue()


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
