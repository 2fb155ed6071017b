"""The fast path for plain xlsx sheets (``_reading._plain``) against the cell-by-cell reader: the
same table or the same refusal for every file, and the fast path taken where the sheet is plain.
No Django."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest
import xlsxwriter
from hypothesis import event, given, settings
from hypothesis import strategies as st

from kaifaqu.spreadsheets._reading import _workbook
from kaifaqu.spreadsheets.columnar import read_column
from kaifaqu.spreadsheets.columns import Column
from kaifaqu.spreadsheets.reading import Limits, ReadError
from kaifaqu.spreadsheets.reading import _read_table as read_table  # in this process, to spy on it
from kaifaqu.spreadsheets.tests.corpus import make_corpus

CORPUS = Path(make_corpus.__file__).parent
CANDIDATES = ["统一社会信用代码", "企业名称", "年份", "纳税总额(万元)", "用地面积(亩)"]
HEADER = ["统一社会信用代码", "企业名称", "年份", "纳税总额(万元)"]
PLAIN_CORPUS = {"formula_cached.xlsx"}  # the corpus's other workbooks are not plain


def outcome(data, name, **options):
    """What ``read_table`` gives (the table's parts, or the refusal), and whether it was plain."""
    options.setdefault("header_candidates", CANDIDATES)
    plain = []
    real = _workbook.read_plain

    def spy(*args):
        table = real(*args)
        plain.append(table is not None)
        return table

    _workbook.read_plain = spy
    try:
        table = read_table(data, name, **options)
    except ReadError as error:
        return (error.code, error.message, error.location), any(plain)
    finally:
        _workbook.read_plain = real
    parts = (table.file_format, table.sheet, table.header, table.header_row, table.rows)
    return (*parts, table.repeated_header_rows), any(plain)


def cell_by_cell(data, name, monkeypatch, **options):
    with monkeypatch.context() as patch:
        patch.setattr(_workbook, "read_plain", lambda *args: None)
        return outcome(data, name, **options)[0]


def assert_same(data, name, monkeypatch, **options):
    """The fast reader's outcome, which must be the cell-by-cell reader's; whether it was plain."""
    fast, plain = outcome(data, name, **options)
    assert fast == cell_by_cell(data, name, monkeypatch, **options)
    return fast, plain


def workbook(rows, *, sheets=(), start=(0, 0), merge=None):
    """An xlsx whose first sheet 数据 holds ``rows`` from ``start``; ``sheets`` add (name, rows,
    hidden) sheets after it."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for name, content, hidden in [("数据", rows, False), *sheets]:
        sheet = book.add_worksheet(name)
        for r, row in enumerate(content):
            for c, value in enumerate(row):
                where = (r + start[0], c + start[1])
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(*where, value)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(*where, value, date)
                else:
                    sheet.write(*where, value)
        if hidden:
            sheet.hide()
        if merge and name == "数据":
            sheet.merge_range(*merge, "合并")
    book.close()
    return buffer.getvalue()


ROWS = [
    HEADER,
    ["91330100MA2H000011", "杭州甲科技有限公司", 2024, 1234.5],
    [None, None, None, None],
    ["91330100MA2H000022", "  ", 2024, 0],
    ["  ", "", None, None],
    ["91330100MA2H000033", "杭州丙有限公司", 2023, None],
]


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.xlsx")))
def test_every_corpus_workbook_reads_the_same_either_way(name, monkeypatch):
    _, plain = assert_same((CORPUS / name).read_bytes(), name, monkeypatch)
    assert plain == (name in PLAIN_CORPUS)


def test_a_plain_sheet_skips_blank_rows_and_keeps_excel_row_numbers(monkeypatch):
    fast, plain = assert_same(workbook(ROWS), "plain.xlsx", monkeypatch)
    assert plain
    assert fast[-2] == [
        (2, ["91330100MA2H000011", "杭州甲科技有限公司", 2024.0, 1234.5]),
        (4, ["91330100MA2H000022", "  ", 2024.0, 0.0]),
        (6, ["91330100MA2H000033", "杭州丙有限公司", 2023.0, None]),
    ]


def test_a_sheet_saved_by_openpyxl_is_plain_too(monkeypatch):
    """Another writer's XML (openpyxl: explicit number types, its own shared strings)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "数据"
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    fast, plain = assert_same(buffer.getvalue(), "openpyxl.xlsx", monkeypatch)
    assert plain
    assert [number for number, _ in fast[-2]] == [2, 4, 6]


def test_a_template_with_its_instructions_and_lists_is_plain(monkeypatch):
    sheets = (("填写说明", [["说明"], ["按表头填写"]], False), ("代码表", [["A"]], True))
    fast, plain = assert_same(workbook(ROWS, sheets=sheets), "template.xlsx", monkeypatch)
    assert plain
    assert fast[1] == "数据"


def test_the_sheet_with_more_known_headers_wins_as_before(monkeypatch):
    small = (
        "企业",
        [["统一社会信用代码", "企业名称", "年份", "纳税总额(万元)", "用地面积(亩)"]],
        False,
    )
    fast, _ = assert_same(workbook(ROWS, sheets=(small,)), "two.xlsx", monkeypatch)
    assert fast[1] == "企业"


def test_a_text_sheet_drops_repeated_headers(monkeypatch):
    rows = [
        ["企业名称", "", "备注"],
        ["甲", None, "x"],
        [" 企业名称", None, "备注 "],
        ["乙", "y", None],
    ]
    fast, plain = assert_same(workbook(rows), "repeated.xlsx", monkeypatch)
    assert plain
    assert fast[2:] == (
        ["企业名称", "", "备注"],
        1,
        [(2, ["甲", None, "x"]), (4, ["乙", "y", None])],
        [3],
    )


@pytest.mark.parametrize(
    ("case", "rows", "options"),
    [
        ("a date column", [HEADER, ["x", "y", dt.date(2024, 1, 2), 1]], {}),
        ("a boolean in the header", [[*HEADER, True], ["x", "y", 2024, 1, 2]], {}),
        ("a date in the header", [[*HEADER, dt.date(2023, 3, 15)], ["x", "y", 2024, 1, 2]], {}),
        ("an empty header cell", [[*HEADER, None, "备注"], ["x", "y", 2024, 1, 2, "z"]], {}),
        ("text among numbers", [HEADER, ["x", "y", 2024, 1], ["x", "y", 2024, "一千"]], {}),
        ("a header repeated among numbers", [HEADER, ["x", "y", 2024, 1], HEADER], {}),
        ("a number in the header", [[*HEADER, 2023], ["x", "y", 2024, 1, 2]], {}),
        ("a header twice", [[*HEADER, "年份"], ["x", "y", 2024, 1, 2]], {}),
        ("a title above the header", [["2024 年报表"], HEADER, ["x", "y", 2024, 1]], {}),
        (
            "a cell too long",
            [HEADER, ["x", "y" * 40, 2024, 1]],
            {"limits": Limits(max_cell_chars=30)},
        ),
        ("too many rows", [HEADER, ["x", "y", 2024, 1]] * 3, {"limits": Limits(max_rows=5)}),
        ("too many columns", [HEADER, ["x", "y", 2024, 1]], {"limits": Limits(max_columns=3)}),
    ],
)
def test_what_is_not_plain_goes_cell_by_cell(case, rows, options, monkeypatch):
    _, plain = assert_same(workbook(rows), "odd.xlsx", monkeypatch, **options)
    assert not plain, case


def test_a_header_named_like_the_row_numbers_is_plain(monkeypatch):
    rows = [["企业名称", "_number"], ["甲", 1], ["乙", 2]]
    fast, plain = assert_same(workbook(rows), "numbers.xlsx", monkeypatch)
    assert plain
    assert fast[-2] == [(2, ["甲", 1.0]), (3, ["乙", 2.0])]


def test_a_chinese_built_in_date_format_goes_cell_by_cell(monkeypatch):
    """Format 31 (yyyy年m月d日): a date to python-calamine, a number to fastexcel's calamine."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, ["企业名称", "成立日期"])
    sheet.write_row(
        1,
        0,
        ["甲", 45000],
    )
    sheet.write_number(1, 1, 45000, book.add_format({"num_format": 31}))
    book.close()
    fast, plain = assert_same(buffer.getvalue(), "cjk.xlsx", monkeypatch)
    assert not plain
    assert fast[-2] == [(2, ["甲", dt.date(2023, 3, 15)])]


def edited(data, old, new, part="xl/worksheets/sheet1.xml"):
    """The workbook with bytes ``old`` of a part replaced by ``new`` (which must be there)."""

    def change(content):
        assert old in content
        return content.replace(old, new, 1)

    return make_corpus.rezip(data, {part: change})


A1 = b'<c r="A1" t="s"><v>0</v></c>'


@pytest.mark.parametrize(
    ("case", "old", "new"),
    [
        ("an inline string A1 with a <v>", A1, b'<c r="A1" t="inlineStr"><v>q</v></c>'),
        ("a cached value before its formula", A1, b'<c r="A1"><v>1</v><f>1</f></c>'),
        ("a comment before A1", b"<sheetData>", b"<sheetData><!-- <c r='A1'/> -->"),
        (
            "a boolean that is 2",
            b"</row></sheetData>",
            b'<c r="E2" t="b"><v>2</v></c></row></sheetData>',
        ),
        (
            "a merge on two lines",
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell\n ref="A9:B9"/></mergeCells>',
        ),
        (
            "a merge under another prefix",
            b"</sheetData>",
            b'</sheetData><q:mergeCells xmlns:q="http://schemas.openxmlformats.org/spreadsheetml'
            b'/2006/main" count="1"><q:mergeCell ref="A9:B9"/></q:mergeCells>',
        ),
    ],
)
def test_xml_the_zip_scan_cannot_vouch_for_goes_cell_by_cell(case, old, new, monkeypatch):
    _, plain = assert_same(edited(workbook(ROWS), old, new), "edited.xlsx", monkeypatch)
    assert not plain, case


def test_a_sheet_not_starting_at_a1_goes_cell_by_cell(monkeypatch):
    _, plain = assert_same(workbook(ROWS, start=(1, 1)), "offset.xlsx", monkeypatch)
    assert not plain


def test_a_sheet_with_merged_cells_goes_cell_by_cell(monkeypatch):
    _, plain = assert_same(workbook(ROWS, merge=(8, 0, 8, 2)), "merged.xlsx", monkeypatch)
    assert not plain


TEXT = st.one_of(
    st.sampled_from(["", " ", "  x ", "甲", "12.5", "'=1", "企业名称"]), st.text(max_size=5)
)
NUMBERS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**15), 10**15)
)
# Dates as python-calamine gives them plainly (from March 1900, at midnight), and others.
PLAIN_DATES = st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31))
DATES = st.one_of(
    st.dates(dt.date(1899, 12, 31), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 12, 31)).map(
        lambda value: value.replace(microsecond=0)
    ),
)
KINDS = (TEXT, NUMBERS, st.booleans(), PLAIN_DATES, DATES)
# Columns of one kind as well as mixed ones, so that some sheets are plain and some are not.
COLUMN = st.one_of(
    *(st.lists(st.one_of(st.none(), cells), max_size=6) for cells in KINDS),
    st.lists(st.one_of(st.none(), *KINDS), max_size=6),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(COLUMN, min_size=1, max_size=4),
    st.lists(st.sampled_from(["企业名称", "年份", "", "备注", "指标"]), min_size=4, max_size=4),
)
def test_any_sheet_reads_the_same_either_way(columns, header):
    """Columns of random cells (some of one type, so that some sheets are plain) under a header."""
    height = max(len(column) for column in columns)
    rows = [header[: len(columns)]] + [
        [column[r] if r < len(column) else None for column in columns] for r in range(height)
    ]
    data = workbook(rows)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _, plain = assert_same(
            data, "random.xlsx", monkeypatch, header_candidates=["企业名称", "年份"]
        )
    event("plain" if plain else "cell by cell")


@pytest.mark.parametrize(
    ("column", "cells"),
    [
        (Column("tax", "纳税", "decimal", minimum=Decimal(0)), [1234.5, None, 0.0, 1e20, -2.0]),
        (Column("year", "年份", "year"), [2024.0, None, 1900.0, 2024.5]),
        (Column("name", "企业名称", "text"), ["甲", None, "  乙 ", "'=1", "\x1c丙"]),
        (Column("uscc", "统一社会信用代码", "uscc"), ["91330100MA2H000011", "x", None]),
        (Column("code", "行业代码", "code"), [3511.0, None, 12.5]),
        (Column("large", "规上", "bool", choices=(("true", "是"), ("false", "否"))), [True, None]),
    ],
)
def test_a_typed_column_reads_as_its_cells_do(column, cells):
    """``read_column`` gives the same values and errors for a Series as for its Python cells."""
    series = pl.Series(cells, strict=False)
    from_list, from_series = (read_column(c, column, Decimal(1)) for c in (cells, series))
    assert from_series.values.to_list() == from_list.values.to_list()
    assert [(i, e.code, e.message) for i, e in from_series.errors] == [
        (i, e.code, e.message) for i, e in from_list.errors
    ]
