"""Safety checks on a zip-based workbook (xlsx, ods) before any parser sees it.

The zip directory is checked first (entry count, total size, compression ratio). Then every entry is
inflated here, in bounded chunks, from its raw bytes: a directory can lie about sizes, and only our
own inflater stops at the declared size. The same pass refuses XML parts that declare a DOCTYPE or
entities (billion laughs, external entities) and notes, per worksheet, the formula cells without a
cached value and the error cells, which calamine reads as empty, what tells a plain sheet that
may be read straight into columns (``_plain``), and the area each worksheet declares and fills,
which calamine allocates whole before it reads a cell.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from . import _errors
from ._places import SHOWN, column_letter
from ._types import Limits

__all__ = ["CellFindings", "ZipFacts", "column_number", "inflate", "inspect"]

IN_CHUNK = 64 * 1024
OUT_CHUNK = 1024 * 1024
# A small entry cannot be a bomb by itself, and tiny parts ([Content_Types].xml, a sheet of empty
# rows) legitimately compress beyond 100:1, so the ratio is checked on entries above this size.
RATIO_FLOOR = 1024 * 1024
# Parts kept in memory for telling xlsx from ods, mapping sheet names to parts and seeing which
# number formats a workbook uses.
STYLES = "styles.xml"
KEPT_SUFFIXES = ("[Content_Types].xml", "mimetype", "workbook.xml", "workbook.xml.rels", STYLES)
KEPT_MAX = 4 * 1024 * 1024
XML_SUFFIXES = (".xml", ".rels", ".vml")
DECLARATIONS = tuple(
    word.encode(encoding)
    for word in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
OVERLAP = max(len(marker) for marker in DECLARATIONS)

_NS = rb"(?:[\w.-]+:)?"  # Some writers (the .NET Open XML SDK) prefix every element: <x:c>.
_FORMULA = rb"<" + _NS + rb"f\b[^>]*?(?:/>|>[^<]*</" + _NS + rb"f>)"  # formula text has no "<"
# No <v> at all, or openpyxl's self-closing <v/>. An explicit <v></v> is a formula whose result is
# "" (Excel writes it with t="str", xlsxwriter without), so it is a value, not a missing one.
FORMULA_NO_VALUE = re.compile(
    rb"<" + _NS + rb"c\b([^>]*)>\s*" + _FORMULA + rb"\s*"
    rb"(?:<" + _NS + rb"v\s*/>)?\s*"
    rb"</" + _NS + rb"c>"
)
ERROR_CELL = re.compile(
    rb"<" + _NS + rb"c\b([^>]*\bt=\"e\"[^>]*)>\s*(?:" + _FORMULA + rb")?\s*"
    rb"<" + _NS + rb"v>([^<]*)</" + _NS + rb"v>"
)
CELL_REF = re.compile(rb"\br=\"([A-Z]{1,3}[0-9]{1,7})\"")
# Every cell's place, however far: a far cell is what this looks for.
LAST_ROW = re.compile(rb"row [^>]*?\br=\"([0-9]+)\"")
DIMENSION = re.compile(rb"<" + _NS + rb"dimension\b[^>]*?\bref=\"([^\"]*)\"")
ROW_END = re.compile(rb"</" + _NS + rb"row>")
ROOT_PREFIX = re.compile(rb"<([\w.-]+:)?worksheet\b")
SHEET_DATA = re.compile(rb"<" + _NS + rb"sheetData\b")
FIRST_CELL = re.compile(rb"<" + _NS + rb"c\b([^>]*?)(/?)>")
# What A1 must hold for calamine to read a value there, and nothing else: a number, a shared
# string or a formula's cached result as <v>, or an inline string's text.
FILLED = re.compile(
    rb"\s*(?:" + _FORMULA + rb"\s*)?<" + _NS + rb"v>[^<]+</" + _NS + rb"v>\s*</" + _NS + rb"c>"
)
INLINE_FILLED = re.compile(
    rb"\s*<" + _NS + rb"is>\s*<" + _NS + rb"t\b[^>]*>[^<]+</" + _NS + rb"t>\s*</" + _NS + rb"is>"
    rb"\s*</" + _NS + rb"c>"
)
CELL_TYPE = re.compile(rb"\bt=\"(\w*)\"")
MERGE_CELL = re.compile(rb"<" + _NS + rb"mergeCell\b")
ODD_BOOLEAN = re.compile(rb"\bt=\"b\"[^>]*>\s*(?:" + _FORMULA + rb"\s*)?<" + _NS + rb"v>(?![01]</)")
UTF16_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")


@dataclass
class CellFindings:
    """Problem cells of one worksheet part: the first few named, all counted."""

    formulas: list[str] = field(default_factory=list)
    formula_total: int = 0
    errors: list[str] = field(default_factory=list)
    error_total: int = 0
    # What tells a plain sheet, which may be read straight into columns (``_plain``): its first
    # cell is A1 and holds a value, and it merges no cells.
    a1_filled: bool = False
    merged: bool = False
    # ISO date cells, or booleans other than 0 and 1, which the two calamine versions read apart
    odd_cells: bool = False
    dimension: str = ""  # the area the part declares (<dimension ref="A1:D20">), as written
    # How far the part's rows and cells reach (1-based): its last row and rightmost column.
    last_row: int = 0
    last_column: int = 0


@dataclass
class ZipFacts:
    infos: dict[str, zipfile.ZipInfo]
    kept: dict[str, bytes]
    worksheets: dict[str, CellFindings]
    has_formula_attributes: bool = False  # an ODS content.xml with table:formula


def inspect(data: bytes, file_name: str, limits: Limits) -> ZipFacts:
    """Check the zip directory and every entry; raise a ``ReadError`` for anything unsafe."""
    infos = _directory(data, file_name, limits)
    facts = ZipFacts({info.filename: info for info in infos}, {}, {})
    for info in infos:
        _scan_entry(data, info, file_name, facts, limits)
    return facts


def _directory(data: bytes, file_name: str, limits: Limits) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise _errors.truncated_file(file_name) from None
    if len(infos) > limits.max_zip_entries:
        raise _errors.zip_bomb(f"内含 {len(infos):,} 个部件,超过上限 {limits.max_zip_entries:,} 个")
    total = sum(info.file_size for info in infos)
    if total > limits.max_uncompressed_bytes:
        raise _errors.zip_bomb(
            f"解压后共 {_errors.size_text(total)},"
            f"超过上限 {_errors.size_text(limits.max_uncompressed_bytes)}"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise _errors.zip_bomb(
                f"部件「{info.filename}」压缩比为 {ratio:,.0f}:1,超过上限 "
                f"{limits.max_compression_ratio}:1"
            )
    return infos


def inflate(data: bytes, info: zipfile.ZipInfo, file_name: str) -> Iterator[bytes]:
    """The entry's content in chunks, never more than its declared size."""
    if info.flag_bits & 0x1:
        raise _errors.password_protected(file_name)
    raw = _raw_bytes(data, info, file_name)
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _errors.truncated_file(file_name)
        for start in range(0, len(raw), OUT_CHUNK):
            yield bytes(raw[start : start + OUT_CHUNK])
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        # Excel and LibreOffice only deflate; anything else is not a file they saved.
        raise _errors.truncated_file(file_name)
    produced = 0
    for chunk in _deflated(raw, file_name):
        produced += len(chunk)
        if produced > info.file_size:
            raise _errors.zip_bomb(f"部件「{info.filename}」解压后比文件目录声明的大")
        yield chunk
    if produced != info.file_size:
        raise _errors.truncated_file(file_name)


def _raw_bytes(data: bytes, info: zipfile.ZipInfo, file_name: str) -> memoryview:
    offset = info.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _errors.truncated_file(file_name)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise _errors.truncated_file(file_name)
    return raw


def _deflated(raw: memoryview, file_name: str) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for start in range(0, len(raw), IN_CHUNK):
            pending = bytes(raw[start : start + IN_CHUNK])
            while pending:
                out = inflater.decompress(pending, OUT_CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
        while not inflater.eof and (out := inflater.decompress(b"", OUT_CHUNK)):
            yield out
    except zlib.error:
        raise _errors.truncated_file(file_name) from None
    if not inflater.eof:
        raise _errors.truncated_file(file_name)


def _scan_entry(
    data: bytes, info: zipfile.ZipInfo, file_name: str, facts: ZipFacts, limits: Limits
) -> None:
    name = info.filename
    is_xml = name.lower().endswith(XML_SUFFIXES) or name == "mimetype"
    keep = info.file_size <= KEPT_MAX and name.endswith(KEPT_SUFFIXES)
    cells = _CellScan(limits) if _is_worksheet(name) else None
    kept: list[bytes] = []
    declaration = b"<!"
    tail = b""
    for number, chunk in enumerate(inflate(data, info, file_name)):
        if number == 0:  # how the part spells "<!": UTF-16 has a NUL in between
            declaration = b"<\x00!" if chunk[:2] in UTF16_STARTS else b"<!"
        if is_xml:
            window = tail + chunk
            # "<!" is rare in a part, so the lower-casing full check seldom runs.
            if declaration in window and any(m in window.lower() for m in DECLARATIONS):
                raise _errors.xml_entities(name)
            if name == "content.xml" and b"table:formula" in window:
                facts.has_formula_attributes = True
            tail = chunk[-OVERLAP:]
        if keep:
            kept.append(chunk)
        if cells is not None:
            cells.feed(chunk)
    if keep:
        facts.kept[name] = b"".join(kept)
    if cells is not None:
        cells.finish()
        facts.worksheets[name] = cells.findings


def _is_worksheet(name: str) -> bool:
    return "/worksheets/" in name and name.endswith(".xml") and "/_rels/" not in name


class _CellScan:
    """Formula cells without a value and error cells of one worksheet, fed chunk by chunk.

    Regular expressions run only on complete rows, and only when a cheap substring test says the
    rows hold a formula or an error; most sheets hold neither, and then scanning costs two
    substring searches per chunk.
    """

    def __init__(self, limits: Limits) -> None:
        self.findings = CellFindings()
        self._max_rows = limits.max_rows
        self._beyond = _beyond(0, limits.max_rows)
        self._carry = b""
        self._formula = b""
        self._first_cell_seen = False

    def feed(self, chunk: bytes) -> None:
        if not self._formula:  # the first chunk: <x:worksheet> means every element is <x:…>
            root = ROOT_PREFIX.search(chunk, 0, 4096)
            self._formula = b"<" + (root.group(1) or b"" if root else b"") + b"f"
            dimension = DIMENSION.search(chunk)
            if dimension:
                self.findings.dimension = dimension.group(1).decode("ascii", "replace")
        buffer = self._carry + chunk
        cut = _last_row_end(buffer)
        self._scan(buffer[:cut])
        self._carry = buffer[cut:]

    def finish(self) -> None:
        self._scan(self._carry)
        self._carry = b""

    def _scan(self, rows: bytes) -> None:
        if not self._first_cell_seen:
            self._first_cell(rows)
        self._places(rows)
        if b"mergeCell" in rows and MERGE_CELL.search(rows):
            self.findings.merged = True
        if b't="d"' in rows or (b't="b"' in rows and ODD_BOOLEAN.search(rows)):
            self.findings.odd_cells = True
        if self._formula in rows:
            _formulas_without_value(rows, self.findings)
        if b't="e"' in rows:
            _error_cells(rows, self.findings)

    def _first_cell(self, rows: bytes) -> None:
        data = SHEET_DATA.search(rows)
        cell = FIRST_CELL.search(rows, data.end()) if data else None
        if data is None or cell is None:
            return
        self._first_cell_seen = True
        attributes, closed = cell.groups()
        reference = CELL_REF.search(attributes)
        kind = CELL_TYPE.search(attributes)
        content = INLINE_FILLED if kind and kind.group(1) == b"inlineStr" else FILLED
        self.findings.a1_filled = (
            reference is not None
            and reference.group(1) == b"A1"
            and not closed
            and (kind is None or kind.group(1) in (b"n", b"s", b"str", b"inlineStr"))
            and b"<!--" not in rows[data.end() : cell.start()]
            and content.match(rows, cell.end()) is not None
        )

    def _places(self, rows: bytes) -> None:
        """Widen the reach by the last row of the chunk (rows come in order) and by any row or
        cell beyond ``max_rows`` or right of the widest cell so far: one search that matches
        nothing in an ordinary chunk, which keeps the scan of a large sheet fast."""
        findings = self.findings
        last = rows.rfind(b"row ")
        if last >= 0 and (number := LAST_ROW.match(rows, last)):
            findings.last_row = max(findings.last_row, int(number.group(1)))
        position = 0
        while found := self._beyond.search(rows, position):
            far_row, column = found.groups()
            if far_row:
                findings.last_row = max(findings.last_row, int(far_row))
            else:
                findings.last_column = column_number(column)
                self._beyond = _beyond(findings.last_column, self._max_rows)
            position = found.end()


def _greater(text: str, low: str, high: str) -> str:
    """A pattern for the strings of ``text``'s length over ``low``–``high`` that sort after it."""
    options = [
        text[:i] + f"[{chr(ord(c) + 1)}-{high}]" + f"[{low}-{high}]" * (len(text) - i - 1)
        for i, c in enumerate(text)
        if c != high
    ]
    return "|".join(options) or "(?!)"


def _beyond(column: int, row: int) -> re.Pattern[bytes]:
    """A row or cell reference (``r="…"``) below ``row``, or a cell right of ``column`` (1-based;
    0 matches every cell). It starts with a literal, which ``re`` searches for fast."""
    letters = column_letter(column - 1) if column else ""
    right = f"[A-Z]{{{len(letters) + 1},}}|{_greater(letters, 'A', 'Z')}"
    digits = str(row)
    below = f"[1-9][0-9]{{{len(digits)},}}|{_greater(digits, '0', '9')}"
    return re.compile(f'r="(?:[A-Z]*({below})"|({right})[0-9])'.encode())


def column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"XFD"`` → 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _last_row_end(buffer: bytes) -> int:
    end = buffer.rfind(b"row>")
    while end >= 0:
        start = buffer.rfind(b"<", 0, end)
        if start >= 0 and ROW_END.fullmatch(buffer, start, end + 4):
            return end + 4
        end = buffer.rfind(b"row>", 0, end)
    return 0


def _formulas_without_value(xml: bytes, findings: CellFindings) -> None:
    for match in FORMULA_NO_VALUE.finditer(xml):
        findings.formula_total += 1
        if len(findings.formulas) < SHOWN:
            findings.formulas.append(_ref(match.group(1)))


def _error_cells(xml: bytes, findings: CellFindings) -> None:
    for match in ERROR_CELL.finditer(xml):
        findings.error_total += 1
        if len(findings.errors) < SHOWN:
            value = match.group(2).decode("utf-8", "replace")
            findings.errors.append(f"{_ref(match.group(1))}({value})")


def _ref(attributes: bytes) -> str:
    found = CELL_REF.search(attributes)
    return found.group(1).decode("ascii") if found else "?"
