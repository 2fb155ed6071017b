"""Workbooks (xlsx, xls, ods) through python-calamine: choose the sheet, check it, read its rows.

A plain xlsx sheet is read straight into typed columns instead (``_plain``), which is faster and
gives the same table.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Collection, Iterator
from typing import Any
from xml.etree import ElementTree

from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from . import _errors, _ods
from ._grid import Collected, Peek, collect, match_key, peek_rows
from ._places import cell_name
from ._plain import read_plain
from ._select import choose
from ._types import Limits, Table
from ._zipsafe import STYLES, CellFindings, ZipFacts, column_number, inflate

__all__ = ["read_workbook"]

PEEK_EXTRA = 50  # raw rows read after the first filled one, to find PEEK_ROWS non-blank rows


def read_workbook(
    data: bytes,
    file_name: str,
    file_format: str,
    sheet: str | None,
    candidates: Collection[str],
    limits: Limits,
    facts: ZipFacts | None,
) -> Table:
    """The chosen sheet as a table, after the checks that need the sheet chosen."""
    if facts is not None:
        _check_reach(data, file_name, file_format, facts, limits)
    book = _open(data, file_name)
    try:
        sheets = _Sheets(book, file_name)
        if sheet is not None and sheet not in book.sheet_names:
            raise _errors.sheet_not_found(sheet, sheets.names)
        names = [sheet] if sheet is not None else sheets.names
        plain = _plain(data, file_name, file_format, names, candidates, limits, facts)
        table, plain_peek = plain if plain is not None else (None, None)
        peeks = [
            plain_peek if plain_peek is not None and name == plain_peek.sheet else sheets.peek(name)
            for name in names
        ]
        peek = choose(peeks, candidates)
        if table is not None and peek is plain_peek:
            return table
        calamine_sheet = sheets.keep_only(peek.sheet)
        _check_size(peek.sheet, calamine_sheet, limits)
        header_row = peek.rows[0][0]
        _check_cells(data, file_name, file_format, facts, calamine_sheet, peek.sheet, header_row)
        collected = sheets.collect(peek.sheet, limits)
        return collected.table(file_name, file_format, None, peek.sheet)
    finally:
        book.close()


def _plain(
    data: bytes,
    file_name: str,
    file_format: str,
    names: list[str],
    candidates: Collection[str],
    limits: Limits,
    facts: ZipFacts | None,
) -> tuple[Table, Peek] | None:
    """The largest sheet read as plain, with its peek, if it is plain and its first row is a
    header ``choose`` accepts: then only that row of its peek counts, and the other sheets are
    peeked as ever."""
    if file_format != "xlsx" or facts is None or not names:
        return None
    parts = _sheet_parts(facts)
    sizes = {name: info.file_size for name, info in facts.infos.items()}
    largest = max(names, key=lambda name: sizes.get(parts.get(name, ""), 0))
    findings = facts.worksheets.get(parts.get(largest, ""))
    table = read_plain(data, file_name, largest, limits, findings, _styles(facts))
    if table is None:
        return None
    peek = Peek(largest, [(1, table.header)])
    keys = {match_key(text) for text in candidates}
    accepted = peek.matches(keys) if keys else any(table.header)
    return (table, peek) if accepted else None


def _open(data: bytes, file_name: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise _errors.password_protected(file_name) from None
    except CalamineError:
        raise _errors.truncated_file(file_name) from None


class _Sheets:
    """The workbook's sheets, each parsed by calamine at most once."""

    def __init__(self, book: CalamineWorkbook, file_name: str) -> None:
        self._book = book
        self._file_name = file_name
        self._loaded: dict[str, CalamineSheet] = {}
        # Chart sheets hold no rows, and a hidden sheet is not where a clerk puts data (our own
        # templates hide their drop-down lists there); a hidden sheet is read only when named.
        self.names = [
            meta.name
            for meta in book.sheets_metadata
            if meta.typ == SheetTypeEnum.WorkSheet and meta.visible == SheetVisibleEnum.Visible
        ]

    def get(self, name: str) -> CalamineSheet:
        if name not in self._loaded:
            try:
                self._loaded[name] = self._book.get_sheet_by_name(name)
            except PasswordError:
                raise _errors.password_protected(self._file_name) from None
            except CalamineError:
                raise _errors.truncated_file(self._file_name) from None
        return self._loaded[name]

    def keep_only(self, name: str) -> CalamineSheet:
        """The chosen sheet; the others' cells are let go before the rows are read."""
        chosen = self.get(name)
        self._loaded = {name: chosen}
        return chosen

    def peek(self, name: str) -> Peek:
        sheet = self.get(name)
        if sheet.start is None:
            return Peek(name, [])
        rows = sheet.to_python(skip_empty_area=False, nrows=sheet.start[0] + PEEK_EXTRA)
        return peek_rows(name, enumerate(rows, start=1))

    def collect(self, name: str, limits: Limits) -> Collected:
        return collect(name, _numbered(self.get(name)), limits)


def _numbered(sheet: CalamineSheet) -> Iterator[tuple[int, list[Any]]]:
    """Rows numbered from 1 with column A first. ``iter_rows`` starts at row 1 but at the first
    filled column, so rows are padded on the left to keep column indexes Excel's."""
    if sheet.start is None:
        return
    pad: list[Any] = [""] * sheet.start[1]
    for number, raw in enumerate(sheet.iter_rows(), start=1):
        yield number, (pad + raw if pad else raw)


def _check_reach(
    data: bytes, file_name: str, file_format: str, facts: ZipFacts, limits: Limits
) -> None:
    """Every sheet's declared and filled area within the limits, before calamine (which opens an
    ODS file's tables at once, and allocates an xlsx sheet's whole area) or fastexcel reads it."""
    if file_format == "ods":
        info = facts.infos.get("content.xml")
        if info is not None:
            _ods.check_reach(inflate(data, info, file_name), file_name, limits)
        return
    names = {part: name for name, part in _sheet_parts(facts).items()}
    for part, findings in facts.worksheets.items():
        name = names.get(part, part)
        _check_filled(name, findings, limits)
        _check_declared(name, findings.dimension, limits)


DECLARED = re.compile(r"([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?")


def _check_declared(name: str, dimension: str, limits: Limits) -> None:
    declared = DECLARED.fullmatch(dimension)
    if declared is None:
        return  # no dimension, or one calamine does not read either
    first_column, first_row, last_column, last_row = declared.groups()
    rows = int(last_row or first_row)
    columns = column_number((last_column or first_column).encode())
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        bounds = (limits.max_rows, limits.max_columns, limits.max_cells)
        raise _errors.declared_too_large(name, dimension, bounds)


def _check_filled(name: str, findings: CellFindings, limits: Limits) -> None:
    if findings.last_row > limits.max_rows:
        raise _errors.too_many_rows(name, findings.last_row, limits.max_rows)
    if findings.last_column > limits.max_columns:
        raise _errors.too_many_columns(name, findings.last_column, limits.max_columns)
    if findings.last_row * findings.last_column > limits.max_cells:
        raise _errors.too_many_cells(
            name, findings.last_row, findings.last_column, limits.max_cells
        )


def _check_size(name: str, sheet: CalamineSheet, limits: Limits) -> None:
    if sheet.end is None:
        return
    last_row, last_column = sheet.end[0] + 1, sheet.end[1] + 1
    if last_row > limits.max_rows:
        raise _errors.too_many_rows(name, last_row, limits.max_rows)
    if last_column > limits.max_columns:
        raise _errors.too_many_columns(name, last_column, limits.max_columns)


def _check_cells(
    data: bytes,
    file_name: str,
    file_format: str,
    facts: ZipFacts | None,
    sheet: CalamineSheet,
    name: str,
    header_row: int,
) -> None:
    """Merged header cells, formulas without a cached value and error cells, in that order."""
    if file_format == "ods" and facts is not None:
        _check_ods(data, file_name, facts, name, header_row)
        return
    merged = [
        f"{cell_name(r0 + 1, c0)}:{cell_name(r1 + 1, c1)}"
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []
        if r0 <= header_row - 1 <= r1
    ]
    if merged:
        raise _errors.merged_header(name, header_row, merged)
    if file_format == "xlsx" and facts is not None:
        findings = facts.worksheets.get(_sheet_parts(facts).get(name, ""))
        if findings and findings.formula_total:
            raise _errors.formula_without_value(name, findings.formulas, findings.formula_total)
        if findings and findings.error_total:
            raise _errors.cell_error(name, findings.errors, findings.error_total)


def _check_ods(data: bytes, file_name: str, facts: ZipFacts, name: str, header_row: int) -> None:
    info = facts.infos.get("content.xml")
    if info is None:
        return
    chunks = inflate(data, info, file_name)
    found = _ods.scan_table(chunks, name, header_row, formulas=facts.has_formula_attributes)
    if found.merged:
        raise _errors.merged_header(name, header_row, found.merged)
    if found.formula_total:
        raise _errors.formula_without_value(name, found.formulas, found.formula_total)


def _styles(facts: ZipFacts) -> bytes | None:
    """The style part as kept by the zip scan: ``b""`` if there is none, ``None`` if too large."""
    part = next((name for name in facts.infos if name.endswith(STYLES)), None)
    return b"" if part is None else facts.kept.get(part)


def _sheet_parts(facts: ZipFacts) -> dict[str, str]:
    """Sheet name → worksheet part (``xl/worksheets/sheet1.xml``), from the workbook and its rels.

    Elements are matched by local name so that strict OOXML's other namespaces work too.
    """
    workbook = next((name for name in facts.kept if name.endswith("workbook.xml")), None)
    if workbook is None:
        return {}
    folder, base = posixpath.split(workbook)
    rels = facts.kept.get(posixpath.join(folder, "_rels", base + ".rels"))
    if rels is None:
        return {}
    try:
        rels_root = ElementTree.fromstring(rels)
        workbook_root = ElementTree.fromstring(facts.kept[workbook])
    except ElementTree.ParseError:
        return {}  # calamine has parsed both already; a part it tolerates only loses the scan
    targets = {
        element.get("Id"): element.get("Target", "")
        for element in rels_root.iter()
        if element.tag.endswith("}Relationship")
    }
    parts = {}
    for element in workbook_root.iter():
        if element.tag.endswith("}sheet"):
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rid, "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            parts[element.get("name", "")] = posixpath.normpath(path)
    return parts
