"""The reading layer against its corpus: every good file's exact table, every bad file's exact
refusal. No Django; run with ``-p no:django``. Files come from ``corpus/make_corpus.py``."""

import datetime as dt
import doctest
import io
import re
import struct
import zipfile
from pathlib import Path

import pytest

from kaifaqu.spreadsheets import reading
from kaifaqu.spreadsheets.reading import (
    Limits,
    ReadError,
    Table,
    cell_name,
    column_letter,
)

# What the reader gives, read in this process; ``test_hostile`` reads through the child process.
from kaifaqu.spreadsheets.reading import _read_table as read_table
from kaifaqu.spreadsheets.tests.corpus import make_corpus
from kaifaqu.spreadsheets.tests.corpus.make_corpus import ROUNDED_USCC, add_entries, rezip

CORPUS = Path(make_corpus.__file__).parent
CANDIDATES = ["统一社会信用代码", "企业名称", "年份", "纳税总额(万元)", "用地面积(亩)"]
TEXT_HEADER = ["统一社会信用代码", "企业名称", "纳税总额(万元)"]
TEXT_ROWS = [
    (2, ["91330100MA2H000011", "杭州甲科技有限公司", "1234.5"]),
    (3, ["91330100MA2H000022", "杭州乙制造有限公司", "0"]),
]
SAVE_AS_CSV_UTF8 = "在 Excel 中「另存为」→「CSV UTF-8(逗号分隔)(*.csv)」,保存后重新上传。"


def corpus(name):
    return (CORPUS / name).read_bytes()


def read(name, **options):
    options.setdefault("header_candidates", CANDIDATES)
    return read_table(corpus(name), name, **options)


def refusal(data, name, **options):
    """(code, message, location) of the ReadError, which must also say how to fix it."""
    options.setdefault("header_candidates", CANDIDATES)
    with pytest.raises(ReadError) as caught:
        read_table(data, name, **options)
    assert caught.value.fix
    return caught.value.code, caught.value.message, caught.value.location


def text_table(name, encoding, file_format="csv", rows=TEXT_ROWS):
    return Table.from_rows(name, file_format, encoding, "", TEXT_HEADER, 1, rows, [])


# -- the corpus is what the script builds ----------------------------------------------------


def test_committed_corpus_matches_the_generator():
    built = make_corpus.corpus()
    on_disk = {p.name: p.read_bytes() for p in CORPUS.iterdir() if p.name in built}
    assert on_disk == built
    assert max(len(content) for content in built.values()) < 50 * 1024


# -- text encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("utf8.csv", "utf-8"), ("utf8_bom.csv", "utf-8-sig"), ("gbk.csv", "gb18030")],
)
def test_csv_encodings_give_the_same_table(name, encoding):
    assert read(name) == text_table(name, encoding)


def test_gb18030_keeps_characters_outside_gbk():
    table = read("gb18030.csv")
    assert table.encoding == "gb18030"
    assert table.rows[-1] == (4, ["91330100MA2H000033", "㐀𠀀新材料有限公司", "7"])


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("unicode_text_le.txt", "utf-16-le"), ("unicode_text_be.txt", "utf-16-be")],
)
def test_excel_unicode_text_is_utf16_with_tabs(name, encoding):
    assert read(name) == text_table(name, encoding, file_format="tsv")


def test_utf16_without_bom_is_refused():
    code, message, location = refusal(corpus("utf16_no_bom.csv"), "utf16_no_bom.csv")
    assert (code, location) == ("utf16_without_bom", "第 1 行")
    assert message == (
        "文件第 1 行含有空字节,像是没有字节顺序标记(BOM)的 UTF-16 文本,无法可靠地识别编码。"
    )
    with pytest.raises(ReadError) as caught:
        read("utf16_no_bom.csv")
    assert caught.value.fix == SAVE_AS_CSV_UTF8


def test_mixed_encodings_name_the_gbk_lines():
    assert refusal(corpus("mixed_encoding.csv"), "mixed_encoding.csv") == (
        "mixed_encoding",
        "文件混用了两种编码:第 3、7 行不是 UTF-8 编码(多半是 GBK),其余含中文的行却是 UTF-8 编码"
        "(通常是从不同来源复制粘贴拼成的),这些行的中文会变成乱码。",
        "第 3、7 行",
    )


def test_mixed_encodings_name_the_minority_when_it_is_utf8():
    data = "企业名称\n甲公司\n乙公司\n".encode("gbk") + "丙公司\n".encode()
    code, message, location = refusal(data, "m.csv", header_candidates=())
    assert (code, location) == ("mixed_encoding", "第 4 行")
    assert message.startswith("文件混用了两种编码:第 4 行是 UTF-8 编码,其余含中文的行却是 GBK 编码")


def test_a_utf8_bom_with_gbk_lines_is_mixed():
    data = b"\xef\xbb\xbf" + "企业名称\n甲公司\n".encode() + "乙公司\n".encode("gbk")
    assert refusal(data, "m.csv", header_candidates=())[::2] == ("mixed_encoding", "第 3 行")


def test_bytes_that_are_neither_utf8_nor_gb18030():
    assert refusal(b"name\n\x80\n", "x.csv", header_candidates=()) == (
        "undecodable_text",
        "文件第 2 行不是有效的 GB18030(GBK) 文本,无法识别其中的文字。",
        "第 2 行",
    )


def test_broken_utf16_names_its_line():
    data = b"\xff\xfe" + "a\tb\r\nc".encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate
    assert refusal(data, "x.txt", header_candidates=())[::2] == ("undecodable_text", "第 2 行")


# -- csv structure -----------------------------------------------------------------------------


def test_quoted_line_breaks_blank_lines_and_trailing_commas():
    assert read("quoted.csv") == Table.from_rows(
        "quoted.csv",
        "csv",
        "utf-8",
        "",
        ["企业名称", "地址", "纳税总额(万元)"],
        1,
        [(2, ["甲公司", "杭州市\r\n滨江区", "1"]), (4, ["乙公司", None, "2"])],
        [],
    )


def test_ragged_csv_rows_are_padded_to_the_widest():
    table = read_table(b"a,b\n1\n1,2,3\n", "r.csv")
    assert table.header == ["a", "b", ""]
    assert table.rows == [(2, ["1", None, None]), (3, ["1", "2", "3"])]


def test_repeated_header_and_blank_lines_in_csv():
    data = "企业名称,年份\n\n甲,2024\n企业名称 ,年份\n乙,2024\n,\n".encode()
    table = read_table(data, "r.csv", header_candidates=CANDIDATES)
    assert table.rows == [(3, ["甲", "2024"]), (5, ["乙", "2024"])]
    assert table.repeated_header_rows == [4]


def test_huge_csv_cell():
    assert refusal(corpus("huge_cell.csv"), "huge_cell.csv", header_candidates=()) == (
        "cell_too_long",
        "单元格 B2 有 40,000 个字符,超过上限 32,767 个字符。",
        "B2",
    )


def test_a_cell_beyond_the_csv_field_limit_names_its_line():
    data = ("备注\n" + "x" * 200_000 + "\n").encode()
    code, message, location = refusal(data, "big.csv", header_candidates=())
    assert (code, location) == ("cell_too_long", "第 2 行")
    assert message.startswith("文件第 2 行附近有一个单元格超过 131,072 个字符")


# -- workbooks: happy paths --------------------------------------------------------------------


def test_xlsx_keeps_cell_types_and_chooses_the_data_sheet():
    assert read("happy.xlsx") == Table.from_rows(
        "happy.xlsx",
        "xlsx",
        None,
        "企业数据",
        [*CANDIDATES, "成立日期", "是否规上", "备注"],
        1,
        [
            (2, ["91330100MA2H000011", "杭州甲科技有限公司", 2024.0, 1234.5, 30.0,
                 dt.date(2015, 3, 1), True, None]),
            (3, ["91330100MA2H000022", "杭州乙制造有限公司", 2024.0, 0.0, 12.25,
                 None, False, "  留空格  "]),
            (4, [ROUNDED_USCC, "杭州丙数字有限公司", 2024.0, 5.5, 1.0, None, None, None]),
        ],
        [],
    )  # fmt: skip


def test_an_18_digit_code_typed_as_a_number_stays_a_float():
    value = read("happy.xlsx").rows[2][1][0]
    assert type(value) is float
    assert value == 913301001234568000.0  # Excel already dropped the last three digits


def test_without_candidates_the_first_sheet_is_read():
    table = read("happy.xlsx", header_candidates=())
    assert (table.sheet, table.header, table.rows) == (
        "填写说明",
        ["请在「企业数据」工作表中填写,每行一家企业。"],
        [],
    )


def test_a_named_sheet_is_read_even_without_candidates():
    table = read("happy.xlsx", sheet="企业数据", header_candidates=())
    assert (table.sheet, table.header_row, len(table.rows)) == ("企业数据", 1, 3)


def test_columns_keep_their_excel_positions_when_the_table_starts_at_c3():
    table = read("offset.xlsx")
    assert (table.header, table.header_row, table.rows) == (
        ["", "", "企业名称", "年份"],
        3,
        [(4, [None, None, "甲公司", 2024.0])],
    )


def test_blank_rows_skipped_and_repeated_headers_reported():
    table = read("blank_and_repeated.xlsx")
    assert (table.header_row, table.repeated_header_rows) == (3, [6, 9])
    assert [number for number, _ in table.rows] == [4, 7, 10]


def test_formula_cells_use_their_cached_values():
    assert read("formula_cached.xlsx").rows == [
        (2, ["甲公司", 120.0, 30.0, 4.0]),
        (3, ["乙公司", 60.0, 12.0, 5.0]),
        (4, ["丙公司", 10.0, 0.0, None]),  # =IF(C4=0,"",…) saved with an empty result
    ]


def test_ods():
    assert read("happy.ods") == Table.from_rows(
        "happy.ods",
        "ods",
        None,
        "企业数据",
        ["企业名称", "年份", "纳税总额(万元)"],
        1,
        [(2, ["甲公司", 2024.0, 1234.5]), (5, ["乙公司", 2024.0, 0.0])],
        [],
    )


def test_xls():
    assert read("happy.xls") == Table.from_rows(
        "happy.xls",
        "xls",
        None,
        "企业数据",
        ["企业名称", "年份", "纳税总额(万元)"],
        1,
        [(2, ["甲公司", 2024.0, 1234.5]), (4, ["乙公司", 2024.0, 0.0])],
        [],
    )


def test_an_xls_named_xlsx_is_refused():
    assert refusal(corpus("happy.xls"), "happy.xlsx")[:2] == (
        "unknown_format",
        "无法读取「happy.xlsx」:文件名的扩展名是 .xlsx,但内容是Excel 97-2003 工作簿(.xls)。",
    )


# -- workbooks: refusals -----------------------------------------------------------------------


def test_merged_header_cells_are_named():
    assert refusal(corpus("merged_header.xlsx"), "merged_header.xlsx") == (
        "merged_header",
        "工作表「企业数据」的表头(第 1 行)有合并单元格 A1:B1、E1:E2,无法确定每一列的列名。",
        "企业数据!A1:B1、E1:E2",
    )


def test_merged_header_cells_in_ods():
    assert refusal(corpus("merged_header.ods"), "merged_header.ods")[::2] == (
        "merged_header",
        "企业数据!A1:B1",
    )


def test_merged_header_cells_in_xls():
    assert refusal(corpus("merged_header.xls"), "merged_header.xls")[::2] == (
        "merged_header",
        "企业数据!A1:B1",
    )


def test_formulas_without_cached_values_are_named():
    assert refusal(corpus("formula_without_value.xlsx"), "formula_without_value.xlsx") == (
        "formula_without_value",
        "工作表「企业数据」中 2 个公式单元格没有保存计算结果:D2、D3"
        "(文件多半由其他程序生成,未在 Excel 中计算并保存过)。",
        "企业数据!D2、D3",
    )


def test_formula_fix_says_paste_as_values():
    with pytest.raises(ReadError) as caught:
        read("formula_without_value.xlsx")
    assert "粘贴为数值" in caught.value.fix


def test_formulas_without_cached_values_in_ods():
    assert refusal(corpus("formula_without_value.ods"), "formula_without_value.ods")[::2] == (
        "formula_without_value",
        "企业数据!C3",
    )


def test_error_cells_are_not_read_as_blanks():
    assert refusal(corpus("error_cell.xlsx"), "error_cell.xlsx") == (
        "cell_error",
        "工作表「企业数据」中 1 个单元格是错误值:D2(#DIV/0!)。",
        "企业数据!D2",
    )


def test_the_wrong_sheet_names_the_sheets_looked_at():
    assert refusal(corpus("wrong_sheet.xlsx"), "wrong_sheet.xlsx") == (
        "no_header",
        "在工作表「填写说明」、「汇总」的第一行都没有找到本次导入需要的列名"
        "(如「统一社会信用代码」、「企业名称」、「年份」)。可能选错了文件或工作表。",
        "",
    )


def test_a_missing_sheet_lists_the_sheets_there_are():
    assert refusal(corpus("happy.xlsx"), "happy.xlsx", sheet="Sheet1") == (
        "sheet_not_found",
        "工作簿中没有名为「Sheet1」的工作表。现有的工作表:「填写说明」、「企业数据」。",
        "",
    )


def test_a_title_above_the_header_is_named():
    assert refusal(corpus("title_above_header.xlsx"), "title_above_header.xlsx") == (
        "title_above_header",
        "工作表「企业数据」的表头应在第一行,但表头看起来在第 3 行,上方第 1–2 行是标题或说明。",
        "企业数据!第 1–2 行",
    )


def test_huge_xlsx_cell():
    assert refusal(corpus("huge_cell.xlsx"), "huge_cell.xlsx", header_candidates=()) == (
        "cell_too_long",
        "工作表「企业数据」的单元格 B2 有 40,000 个字符,超过上限 32,767 个字符。",
        "企业数据!B2",
    )


def test_truncated_xlsx():
    assert refusal(corpus("truncated.xlsx"), "truncated.xlsx") == (
        "truncated_file",
        "「truncated.xlsx」不完整或已损坏,无法读取。",
        "",
    )


def test_truncated_xls():
    assert refusal(corpus("truncated.xls"), "truncated.xls") == (
        "truncated_file",
        "「truncated.xls」不完整或已损坏,无法读取。",
        "",
    )


def test_password_protected_xlsx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100) + "EncryptedPackage".encode("utf-16-le")
    assert refusal(data, "secret.xlsx") == (
        "password_protected",
        "「secret.xlsx」设有打开密码,无法读取。",
        "",
    )


# -- zip safety --------------------------------------------------------------------------------


def test_zip_bomb_by_compression_ratio():
    data = add_entries(corpus("happy.xlsx"), {"xl/media/padding.bin": bytes(4 * 2**20)})
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/media/padding.bin")
    ratio = info.file_size / info.compress_size
    assert refusal(data, "bomb.xlsx") == (
        "zip_bomb",
        f"文件解压后的内容异常:部件「xl/media/padding.bin」压缩比为 {ratio:,.0f}:1,超过上限 100:1。"
        "为安全起见,系统拒绝读取。",
        "",
    )


def test_zip_bomb_by_total_size():
    data = corpus("happy.xlsx")
    code, message, _ = refusal(data, "big.xlsx", limits=Limits(max_uncompressed_bytes=10_000))
    assert code == "zip_bomb"
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert message.startswith(
        f"文件解压后的内容异常:解压后共 {total:,} 字节,超过上限 10,000 字节。"
    )


def test_zip_bomb_by_entry_count():
    assert refusal(corpus("happy.xlsx"), "many.xlsx", limits=Limits(max_zip_entries=5))[:2] == (
        "zip_bomb",
        "文件解压后的内容异常:内含 11 个部件,超过上限 5 个。为安全起见,系统拒绝读取。",
    )


def test_zip_bomb_whose_directory_lies_about_its_size():
    data = add_entries(corpus("happy.xlsx"), {"xl/media/padding.bin": bytes(4 * 2**20)})
    data = _declare_size(data, "xl/media/padding.bin", 1000)
    assert refusal(data, "liar.xlsx")[:2] == (
        "zip_bomb",
        "文件解压后的内容异常:部件「xl/media/padding.bin」解压后比文件目录声明的大。"
        "为安全起见,系统拒绝读取。",
    )


def _declare_size(data, name, size):
    """The zip with ``name``'s uncompressed size rewritten in its local and central headers."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    patched = bytearray(data)
    patched[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", size)
    central = data.rindex(name.encode()) - 46  # the central header's fixed part precedes the name
    patched[central + 24 : central + 28] = struct.pack("<I", size)
    return bytes(patched)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
        for i in range(1, 10)
    )
    + b"]>\n"
)


def test_xml_entity_bomb_in_an_xlsx_part():
    def with_laughs(xml):
        return BILLION_LAUGHS + xml.split(b"?>", 1)[1].replace(b"<t>", b"<t>&lol9;", 1)

    data = rezip(corpus("happy.xlsx"), {"xl/sharedStrings.xml": with_laughs})
    assert refusal(data, "laughs.xlsx") == (
        "xml_entities",
        "文件内部的「xl/sharedStrings.xml」含有 DOCTYPE 或实体(ENTITY)声明。"
        "正常保存的 Excel 文件不会有,为安全起见,系统拒绝读取。",
        "",
    )


def test_a_doctype_split_across_inflate_chunks_is_found():
    padding = b" " * (256 * 1024 - 4)
    data = rezip(
        corpus("happy.xlsx"), {"xl/styles.xml": lambda xml: padding + b"<!DOCTYPE x>" + xml}
    )
    assert refusal(data, "split.xlsx")[0] == "xml_entities"


# -- formats and names -------------------------------------------------------------------------


def test_an_xlsx_named_csv_is_refused():
    assert refusal(corpus("renamed_xlsx.csv"), "renamed_xlsx.csv") == (
        "unknown_format",
        "无法读取「renamed_xlsx.csv」:文件名的扩展名是 .csv,但内容是压缩文件(如 Excel 工作簿)。",
        "",
    )


def test_a_web_page_named_xls_is_refused():
    assert refusal(corpus("webpage.xls"), "webpage.xls")[:2] == (
        "unknown_format",
        "无法读取「webpage.xls」:文件名的扩展名是 .xls,但内容是网页(HTML)。",
    )


def test_a_word_document_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(
            "[Content_Types].xml", b"<Types>wordprocessingml.document.main+xml</Types>"
        )
    assert refusal(data.getvalue(), "report.xlsx")[:2] == (
        "unknown_format",
        "无法读取「report.xlsx」:内容是Word 文档,不是 Excel 工作簿。",
    )


def test_an_unknown_extension_is_refused():
    assert refusal(b"%PDF-1.7", "scan.pdf")[:2] == (
        "unknown_format",
        "无法读取「scan.pdf」:不支持扩展名为 .pdf 的文件。",
    )


def test_an_empty_file():
    assert refusal(b"", "empty.csv") == ("empty_file", "文件是空的(0 字节)。", "")


def test_a_blank_csv_has_no_header():
    assert refusal(b"\r\n,,\r\n", "blank.csv", header_candidates=()) == (
        "no_header",
        "文件里没有任何内容。",
        "",
    )


def test_a_csv_of_another_kind_has_no_header():
    assert refusal("区县,企业数\n滨江,3\n".encode(), "other.csv")[:2] == (
        "no_header",
        "在文件的第一行都没有找到本次导入需要的列名(如「统一社会信用代码」、「企业名称」、「年份」)。"
        "可能选错了文件或工作表。",
    )


# -- limits ------------------------------------------------------------------------------------


def test_too_large():
    assert refusal(corpus("utf8.csv"), "utf8.csv", limits=Limits(max_bytes=100)) == (
        "too_large",
        "文件大小为 165 字节,超过上限 100 字节。",
        "",
    )


def test_too_many_rows_in_a_sheet():
    limits = Limits(max_rows=5)
    assert refusal(corpus("blank_and_repeated.xlsx"), "b.xlsx", limits=limits) == (
        "too_many_rows",
        "工作表「企业数据」的数据超过上限 5 行(第 10 行仍有内容)。",
        "企业数据!第 10 行",
    )


def test_too_many_rows_in_a_csv():
    assert refusal(corpus("utf8.csv"), "utf8.csv", limits=Limits(max_rows=2)) == (
        "too_many_rows",
        "文件的数据超过上限 2 行(第 3 行仍有内容)。",
        "第 3 行",
    )


def test_too_many_columns_in_a_sheet():
    assert refusal(corpus("happy.xlsx"), "happy.xlsx", limits=Limits(max_columns=4)) == (
        "too_many_columns",
        "工作表「企业数据」有 8 列(最右到 H 列),超过上限 4 列。",
        "企业数据!H 列",
    )


def test_too_many_columns_in_a_csv():
    assert refusal(corpus("utf8.csv"), "utf8.csv", limits=Limits(max_columns=2)) == (
        "too_many_columns",
        "文件第 1 行有 3 列(到 C 列),超过上限 2 列。",
        "第 1 行",
    )


# -- the module itself -------------------------------------------------------------------------


def test_places_are_named_as_excel_does():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    assert cell_name(5, 3) == "D5"


def test_docstring_examples():
    assert doctest.testmod(reading).failed == 0


def test_formulas_without_values_in_a_prefixed_sheet():
    def prefixed(xml):
        xml = re.sub(rb"<(/?)(?![?!])", rb"<\1x:", xml)
        return xml.replace(b'x:worksheet xmlns="', b'x:worksheet xmlns:x="', 1)

    data = rezip(corpus("formula_without_value.xlsx"), {"xl/worksheets/sheet1.xml": prefixed})
    assert refusal(data, "sdk.xlsx")[::2] == ("formula_without_value", "企业数据!D2、D3")


def test_a_doctype_in_a_utf16_part_is_found():
    def utf16(xml):
        text = xml.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
        return b"\xff\xfe" + text.replace("?>", "?><!DOCTYPE x>", 1).encode("utf-16-le")

    data = rezip(corpus("happy.xlsx"), {"docProps/app.xml": utf16})
    assert refusal(data, "utf16.xlsx")[:2] == (
        "xml_entities",
        "文件内部的「docProps/app.xml」含有 DOCTYPE 或实体(ENTITY)声明。"
        "正常保存的 Excel 文件不会有,为安全起见,系统拒绝读取。",
    )
