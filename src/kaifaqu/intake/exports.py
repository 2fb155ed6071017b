"""Lists out as xlsx or CSV, in the import layout, so an exported file re-imports unchanged.

String cells that a spreadsheet would run as a formula (= + - @, tab, CR, NUL first) are written
with a leading apostrophe, which the import strips again; numbers stay numbers.
"""

import csv
import io
import itertools
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db.models import F, QuerySet

from kaifaqu.intake.columns import ENTERPRISE_YEARS, ENTERPRISES, ZONES, Column, KindSpec

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(column: Column, value: Any) -> Any:
    """A model value as the file shows it: labels for choices, codes for references."""
    if value is None:
        return None
    if column.type in ("choice", "bool"):
        stored = str(value).lower() if isinstance(value, bool) else value
        return dict(column.choices).get(stored, stored)
    if column.type == "list":
        return "、".join(getattr(v, "code", None) or v.name for v in value.all())
    if column.type == "ref":
        return getattr(value, "code", value)
    return value


# Columns of a yearly row that its relations hold: the enterprise's USCC, name and industry, and
# the zone of that year. Read as values in the export's one query: the related objects would cost
# a model instance each per row, which made building the rows nearly twice as slow.
RELATED_VALUES = {
    "enterprise-years": {
        "uscc": "enterprise__uscc",
        "name": "enterprise__name",
        "zone": "zone__code",
        "industry": "enterprise__industry__code",
    }
}
RELATED_PREFIX = "related_"  # the annotations' names, kept clear of the model's fields


def rows_for(
    spec: KindSpec, objects: Iterable[Any], related: Collection[str]
) -> Iterator[list[Any]]:
    """The file rows of ``objects``; the ``related`` column keys read from their annotations."""
    columns = spec.written
    names = [RELATED_PREFIX + c.key if c.key in related else c.key for c in columns]
    for obj in objects:
        yield [
            cell(column, getattr(obj, name)) for column, name in zip(columns, names, strict=True)
        ]


def zone_year_rows(spec: KindSpec, values: QuerySet[Any]) -> Iterator[list[Any]]:
    """Long-form zone indicators back to the wide layout: one row per zone and year."""
    position = {column.key: index for index, column in enumerate(spec.written)}
    rows = values.order_by("zone__code", "year").values_list(
        "zone__code", "year", "indicator__code", "value"
    )
    for (zone, year), group in itertools.groupby(rows.iterator(), key=lambda r: (r[0], r[1])):
        row: list[Any] = [None] * len(spec.written)
        row[0], row[1] = zone, year
        for _, _, indicator, value in group:
            row[position[f"indicator:{indicator}"]] = value
        yield row


def export_queryset(kind: str, queryset: QuerySet[Any]) -> tuple[KindSpec, Iterator[list[Any]]]:
    spec = {"zones": ZONES, "enterprises": ENTERPRISES, "enterprise-years": ENTERPRISE_YEARS}[kind]
    joined, prefetched = {
        "zones": (("region",), ("leading_industries",)),
        "enterprises": (("zone", "industry"), ("tags",)),
        "enterprise-years": ((), ()),
    }[kind]
    if joined:  # select_related() without names would join every relation
        queryset = queryset.select_related(*joined)
    values = RELATED_VALUES.get(kind, {})
    queryset = (
        queryset.prefetch_related(*prefetched)
        .annotate(**{RELATED_PREFIX + key: F(path) for key, path in values.items()})
        .order_by("pk")
    )
    return spec, rows_for(spec, queryset.iterator(chunk_size=2000), values)


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
