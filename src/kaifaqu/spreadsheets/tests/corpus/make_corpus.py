"""Builds the reading layer's corpus of good and bad files, byte for byte the same on every run.

    .venv/bin/python -m kaifaqu.spreadsheets.tests.corpus.make_corpus

Writes the small files next to this script; ``test_reading`` checks that the committed files are
what this script builds. The zip bomb and the entity bomb are built by the tests at run time.
Workbooks are written with xlsxwriter (fixed document dates) and post-edited as zips with fixed
entry times; ODS files are assembled from their XML; text files are bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
CREATED = dt.datetime(2026, 1, 1)

HEADER = ["统一社会信用代码", "企业名称", "年份", "纳税总额(万元)", "用地面积(亩)"]
ROWS = [
    ["91330100MA2H000011", "杭州甲科技有限公司", 2024, 1234.5, 30],
    ["91330100MA2H000022", "杭州乙制造有限公司", 2024, 0, 12.25],
]
# An 18-digit code typed as a number: Excel keeps 15 significant digits, this is what it stores.
ROUNDED_USCC = float("9.13301001234568E+17")


# -- text -------------------------------------------------------------------------------------


def _csv(rows: list[list[str]], sep: str = ",", newline: str = "\r\n") -> str:
    return "".join(sep.join(row) + newline for row in rows)


TEXT_ROWS = [
    ["统一社会信用代码", "企业名称", "纳税总额(万元)"],
    ["91330100MA2H000011", "杭州甲科技有限公司", "1234.5"],
    ["91330100MA2H000022", "杭州乙制造有限公司", "0"],
]
GB18030_ROWS = [*TEXT_ROWS, ["91330100MA2H000033", "㐀𠀀新材料有限公司", "7"]]


def mixed_encoding() -> bytes:
    """A UTF-8 file into which lines 3 and 7 were pasted from a GBK file."""
    lines = [
        "企业名称,纳税总额(万元)",
        "杭州甲科技有限公司,1",
        "杭州乙制造有限公司,2",
        "Hangzhou C Ltd,3",
        "杭州丁贸易有限公司,4",
        "杭州戊物流有限公司,5",
        "杭州己食品有限公司,6",
    ]
    gbk_lines = {3, 7}
    return b"".join(
        (line + "\r\n").encode("gbk" if number in gbk_lines else "utf-8")
        for number, line in enumerate(lines, start=1)
    )


def text_files() -> dict[str, bytes]:
    unicode_text = _csv(TEXT_ROWS, sep="\t")
    return {
        "utf8.csv": _csv(TEXT_ROWS).encode("utf-8"),
        "utf8_bom.csv": b"\xef\xbb\xbf" + _csv(TEXT_ROWS).encode("utf-8"),
        "gbk.csv": _csv(TEXT_ROWS).encode("gbk"),
        "gb18030.csv": _csv(GB18030_ROWS).encode("gb18030"),
        "unicode_text_le.txt": b"\xff\xfe" + unicode_text.encode("utf-16-le"),
        "unicode_text_be.txt": b"\xfe\xff" + unicode_text.encode("utf-16-be"),
        "utf16_no_bom.csv": _csv(TEXT_ROWS).encode("utf-16-le"),
        "mixed_encoding.csv": mixed_encoding(),
        "huge_cell.csv": _csv([["企业名称", "备注"], ["甲公司", "x" * 40_000]]).encode("utf-8"),
        "quoted.csv": (
            '企业名称,地址,纳税总额(万元)\r\n"甲公司","杭州市\r\n滨江区",1\r\n\r\n乙公司,,2,,,\r\n'
        ).encode(),
    }


# -- xlsx -------------------------------------------------------------------------------------


def workbook(build: Callable[[xlsxwriter.Workbook], None]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": CREATED})
    build(book)
    book.close()
    return rezip(buffer.getvalue(), {})


def rezip(data: bytes, changes: Mapping[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """The zip with some entries replaced (bytes or a function of the old bytes), fixed times."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            change = changes.get(info.filename)
            if callable(change):
                content = change(content)
            elif change is not None:
                content = change
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()


def add_entries(data: bytes, entries: Mapping[str, bytes]) -> bytes:
    """The zip with more entries appended (deflated, fixed times)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        for name, content in entries.items():
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return out.getvalue()


def _data_sheet(
    book: xlsxwriter.Workbook, name: str = "企业数据"
) -> xlsxwriter.worksheet.Worksheet:
    sheet = book.add_worksheet(name)
    sheet.write_row(0, 0, HEADER)
    for index, row in enumerate(ROWS, start=1):
        sheet.write_row(index, 0, row)
    return sheet


def happy_xlsx(book: xlsxwriter.Workbook) -> None:
    """An instructions sheet first, then the data with every cell type the reader keeps."""
    book.add_worksheet("填写说明").write("A1", "请在「企业数据」工作表中填写,每行一家企业。")
    sheet = _data_sheet(book)
    sheet.write_row(0, 5, ["成立日期", "是否规上", "备注"])
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_datetime(1, 5, dt.datetime(2015, 3, 1), dates)
    sheet.write_boolean(1, 6, True)
    sheet.write_boolean(2, 6, False)
    sheet.write_string(2, 7, "  留空格  ")
    sheet.write_row(3, 0, [ROUNDED_USCC, "杭州丙数字有限公司", 2024, 5.5, 1])


def merged_header_xlsx(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet("企业数据")
    sheet.merge_range("A1:B1", "企业")
    sheet.write_row(0, 2, ["年份", "纳税总额(万元)"])
    sheet.merge_range("E1:E2", "用地面积(亩)")
    sheet.write_row(2, 0, ["91330100MA2H000011", "甲公司", 2024, 1, 2])


def blank_and_repeated_xlsx(book: xlsxwriter.Workbook) -> None:
    """Blank rows above the header and between data; the header repeated on rows 6 and 9, as
    when several exports are pasted under one another (one copy with a trailing space)."""
    sheet = book.add_worksheet("企业数据")
    sheet.write_row(2, 0, HEADER)
    sheet.write_row(3, 0, ROWS[0])
    sheet.write_row(5, 0, HEADER)
    sheet.write_row(6, 0, ROWS[1])
    sheet.write_string(7, 1, "   ")  # whitespace only: a blank row
    sheet.write_row(8, 0, [*HEADER[:-1], HEADER[-1] + " "])
    sheet.write_row(9, 0, ROWS[0])


def formula_xlsx(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet("企业数据")
    sheet.write_row(0, 0, ["企业名称", "纳税总额(万元)", "用地面积(亩)", "亩均税收"])
    sheet.write_row(1, 0, ["甲公司", 120, 30])
    sheet.write_formula(1, 3, "=B2/C2", None, 4)
    sheet.write_row(2, 0, ["乙公司", 60, 12])
    sheet.write_formula(2, 3, "=B3/C3", None, 5)
    sheet.write_row(3, 0, ["丙公司", 10, 0])
    sheet.write_formula(3, 3, '=IF(C4=0,"",B4/C4)', None, "")


def _drop_cached_values(sheet_xml: bytes) -> bytes:
    """What openpyxl and other generators write: formulas with no computed result."""
    openpyxl_style = sheet_xml.replace(b"</f><v>5</v>", b"</f><v />")
    return re.sub(rb"(</f>)<v>[^<]+</v>", rb"\1", openpyxl_style)


def error_cell_xlsx(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet("企业数据")
    sheet.write_row(0, 0, ["企业名称", "纳税总额(万元)", "用地面积(亩)", "亩均税收"])
    sheet.write_row(1, 0, ["甲公司", 120, 0])
    sheet.write_formula(1, 3, "=B2/C2", None, "#DIV/0!")
    sheet.write_row(2, 0, ["乙公司", 60, 12])
    sheet.write_formula(2, 3, "=B3/C3", None, 5)


def wrong_sheet_xlsx(book: xlsxwriter.Workbook) -> None:
    book.add_worksheet("填写说明").write("A1", "请按模板填写。")
    book.add_worksheet("汇总").write_row(0, 0, ["区县", "企业数", "合计"])


def title_above_header_xlsx(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet("企业数据")
    sheet.write("A1", "附件1:2024年度规上工业企业亩均效益数据")
    sheet.write("A2", "填报单位:杭州高新区")
    sheet.write_row(2, 0, HEADER)
    sheet.write_row(3, 0, ROWS[0])


def offset_xlsx(book: xlsxwriter.Workbook) -> None:
    """A table that starts at C3, as some exports place it."""
    sheet = book.add_worksheet("企业数据")
    sheet.write_row(2, 2, ["企业名称", "年份"])
    sheet.write_row(3, 2, ["甲公司", 2024])


def huge_cell_xlsx(book: xlsxwriter.Workbook) -> None:
    sheet = book.add_worksheet("企业数据")
    sheet.write_row(0, 0, ["企业名称", "备注"])
    sheet.write_row(1, 0, ["甲公司", "PLACEHOLDER"])


def _lengthen(shared_strings: bytes) -> bytes:
    # Excel's writers stop at 32,767 characters; a crafted file does not.
    return shared_strings.replace(b"PLACEHOLDER", "长".encode() * 40_000)


WEB_PAGE = "<html><body><table><tr><td>企业名称</td></tr></table></body></html>"


def workbook_files() -> dict[str, bytes]:
    happy = workbook(happy_xlsx)
    return {
        "happy.xlsx": happy,
        "merged_header.xlsx": workbook(merged_header_xlsx),
        "blank_and_repeated.xlsx": workbook(blank_and_repeated_xlsx),
        "formula_cached.xlsx": workbook(formula_xlsx),
        "formula_without_value.xlsx": rezip(
            workbook(formula_xlsx), {"xl/worksheets/sheet1.xml": _drop_cached_values}
        ),
        "error_cell.xlsx": workbook(error_cell_xlsx),
        "wrong_sheet.xlsx": workbook(wrong_sheet_xlsx),
        "title_above_header.xlsx": workbook(title_above_header_xlsx),
        "offset.xlsx": workbook(offset_xlsx),
        "huge_cell.xlsx": rezip(workbook(huge_cell_xlsx), {"xl/sharedStrings.xml": _lengthen}),
        "truncated.xlsx": happy[: len(happy) // 2],
        "renamed_xlsx.csv": happy,
        "webpage.xls": WEB_PAGE.encode(),
    }


# -- ods --------------------------------------------------------------------------------------

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2"'
)
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_cell(value: object = None, **extra: str) -> str:
    attributes = "".join(f' table:{key.replace("_", "-")}="{v}"' for key, v in extra.items())
    if value is None:
        return f"<table:table-cell{attributes}/>"
    if isinstance(value, str):
        return (
            f'<table:table-cell office:value-type="string"{attributes}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}"{attributes}>'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods(tables: Mapping[str, list[str]]) -> bytes:
    """An ODS file from table name → row XML strings."""
    body = "".join(
        f'<table:table table:name="{name}">' + "".join(rows) + "</table:table>"
        for name, rows in tables.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ODS_NAMESPACES}>'
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # ODF wants "mimetype" first and stored, so the type can be read at a fixed offset.
        archive.writestr(zipfile.ZipInfo("mimetype", FIXED_TIME), ODS_MIMETYPE)
        for name, text in (("content.xml", content), ("META-INF/manifest.xml", MANIFEST)):
            entry = zipfile.ZipInfo(name, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text.encode())
    return out.getvalue()


def _row(*cells: str, repeated: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>"


def ods_files() -> dict[str, bytes]:
    header = _row(*(ods_cell(text) for text in ["企业名称", "年份", "纳税总额(万元)"]))
    return {
        "happy.ods": ods(
            {
                "企业数据": [
                    header,
                    _row(ods_cell("甲公司"), ods_cell(2024), ods_cell(1234.5)),
                    _row(ods_cell(), repeated=2),
                    _row(ods_cell("乙公司"), ods_cell(2024), ods_cell(0)),
                ]
            }
        ),
        "merged_header.ods": ods(
            {
                "企业数据": [
                    _row(
                        ods_cell("企业", number_columns_spanned="2"),
                        "<table:covered-table-cell/>",
                        ods_cell("纳税总额(万元)"),
                    ),
                    _row(ods_cell("甲公司"), ods_cell(2024), ods_cell(1)),
                ]
            }
        ),
        "formula_without_value.ods": ods(
            {
                "企业数据": [
                    header,
                    _row(ods_cell("甲公司"), ods_cell(2024), ods_cell(5)),
                    _row(
                        ods_cell("乙公司"),
                        ods_cell(2024),
                        '<table:table-cell table:formula="of:=[.C2]*2"/>',
                    ),
                ]
            }
        ),
    }


# -- xls (BIFF8 in an OLE2 compound file, written byte by byte: no xls writer is installed) ----

END_OF_CHAIN, FREE_SECTOR, FAT_SECTOR, NO_STREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(substream: int) -> bytes:
    # BIFF8, substream 0x0005 workbook globals or 0x0010 worksheet, Excel 97 build numbers.
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x06))


def _xl_string(text: str, *, short: bool = False) -> bytes:
    """XLUnicodeString (u16 count) or ShortXLUnicodeString (u8 count), always stored as UTF-16."""
    count = struct.pack("<B" if short else "<H", len(text))
    return count + b"\x01" + text.encode("utf-16-le")


def biff8(
    sheets: Mapping[str, list[list[object]]],
    merged: Mapping[str, list[tuple[int, int, int, int]]] | None = None,
) -> bytes:
    """A Workbook stream: globals (sheets, shared strings), then one substream per sheet.
    ``merged`` ranges are (first row, last row, first column, last column), 0-based."""
    strings: dict[str, int] = {}
    bodies = [
        _sheet_stream(rows, (merged or {}).get(name, []), strings) for name, rows in sheets.items()
    ]
    shared = struct.pack("<II", len(strings), len(strings)) + b"".join(map(_xl_string, strings))

    def globals_part(offsets: list[int]) -> bytes:
        bound = b"".join(
            _record(0x0085, struct.pack("<IBB", offset, 0, 0) + _xl_string(name, short=True))
            for offset, name in zip(offsets, sheets, strict=True)
        )
        codepage = _record(0x0042, struct.pack("<H", 1200))
        return _bof(0x0005) + codepage + bound + _record(0x00FC, shared) + _record(0x000A)

    offsets, size = [], len(globals_part([0] * len(sheets)))
    for body in bodies:
        offsets.append(size)
        size += len(body)
    return globals_part(offsets) + b"".join(bodies)


def _sheet_stream(
    rows: list[list[object]], merged: list[tuple[int, int, int, int]], strings: dict[str, int]
) -> bytes:
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                index = strings.setdefault(value, len(strings))
                cells.append(_record(0x00FD, struct.pack("<HHHI", r, c, 15, index)))  # LABELSST
            elif value is not None:
                cells.append(_record(0x0203, struct.pack("<HHHd", r, c, 15, value)))  # NUMBER
    width = max((len(row) for row in rows), default=0)
    stream = _bof(0x0010) + _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    stream += b"".join(cells)
    if merged:
        ranges = b"".join(struct.pack("<HHHH", *cells_range) for cells_range in merged)
        stream += _record(0x00E5, struct.pack("<H", len(merged)) + ranges)
    return stream + _record(0x000A)


def ole2(stream: bytes, name: str = "Workbook") -> bytes:
    """A version-3 compound file: header, one FAT sector, the stream, one directory sector.
    The stream is padded to 4,096 bytes so it lives in ordinary sectors, not the mini stream."""
    sector = 512
    padded = stream.ljust(max(4096, -(-len(stream) // sector) * sector), b"\0")
    count = len(padded) // sector
    fat = [FAT_SECTOR, *range(2, count + 1), END_OF_CHAIN, END_OF_CHAIN]
    fat += [FREE_SECTOR] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<9I", header, 40, 0, 1, count + 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
    struct.pack_into("<109I", header, 76, 0, *[FREE_SECTOR] * 108)
    directory = (
        _directory_entry("Root Entry", 5, 1, END_OF_CHAIN, 0)
        + _directory_entry(name, 2, NO_STREAM, 1, len(padded))
        + _directory_entry("", 0, NO_STREAM, 0, 0) * 2
    )
    return bytes(header) + struct.pack("<128I", *fat) + padded + directory


def _directory_entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
    entry = bytearray(128)
    raw = (name + "\0").encode("utf-16-le") if name else b""
    entry[0 : len(raw)] = raw
    struct.pack_into("<HBB", entry, 64, len(raw), kind, 1)  # name length, type, black
    struct.pack_into("<III", entry, 68, NO_STREAM, NO_STREAM, child)
    struct.pack_into("<IQ", entry, 116, start, size)
    return bytes(entry)


XLS_ROWS: list[list[object]] = [
    ["企业名称", "年份", "纳税总额(万元)"],
    ["甲公司", 2024, 1234.5],
    [],
    ["乙公司", 2024, 0],
]


def xls_files() -> dict[str, bytes]:
    happy = ole2(biff8({"企业数据": XLS_ROWS}))
    merged = ole2(biff8({"企业数据": XLS_ROWS}, {"企业数据": [(0, 0, 0, 1)]}))
    return {"happy.xls": happy, "merged_header.xls": merged, "truncated.xls": happy[:1000]}


# -- all --------------------------------------------------------------------------------------


def corpus() -> dict[str, bytes]:
    return {**text_files(), **workbook_files(), **ods_files(), **xls_files()}


def main() -> None:
    for name, content in corpus().items():
        (HERE / name).write_bytes(content)
        print(f"{name}: {len(content):,} bytes")


if __name__ == "__main__":
    main()


# -- hostile files, built by the tests at run time (tests/test_hostile.py) ----------------------


def far_cell_xlsx(row: int, column: int) -> bytes:
    """A header and one number far away, as in a 1.8 KB file that once aborted the reader."""

    def build(book: xlsxwriter.Workbook) -> None:
        sheet = book.add_worksheet("企业数据")
        sheet.write_row(0, 0, ["企业名称", "年份"])
        sheet.write_number(row, column, 1)

    return workbook(build)


def declared_xlsx(reference: str) -> bytes:
    """The happy workbook whose data sheet declares ``reference`` as its area."""
    return rezip(
        workbook(happy_xlsx),
        {
            "xl/worksheets/sheet2.xml": lambda xml: re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % reference.encode(), xml
            )
        },
    )


def repeated_ods(rows: int, columns: int) -> bytes:
    """A header, then one row of ``columns`` filled cells repeated ``rows`` times: about 1 KB."""
    filled = ods_cell("甲公司", number_columns_repeated=str(columns))
    return ods({"企业数据": [_row(ods_cell("企业名称")), _row(filled, repeated=rows)]})


def nested_zip() -> bytes:
    """A zip holding a workbook, named as a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("inner.xlsx", FIXED_TIME), workbook(happy_xlsx))
    return out.getvalue()


def declared_xls(rows: int, columns: int) -> bytes:
    """The happy xls whose sheet's DIMENSIONS record declares ``rows`` and ``columns``."""
    stream = biff8({"企业数据": XLS_ROWS})
    at = stream.rindex(struct.pack("<HH", 0x0200, 14))
    patched = bytearray(stream)
    struct.pack_into("<IIHH", patched, at + 4, 0, rows, 0, columns)
    return ole2(bytes(patched))
