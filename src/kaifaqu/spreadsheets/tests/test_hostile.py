"""Hostile files through ``read_table`` as every upload reads them: in a child process under
memory and CPU limits. Each is refused with its exact words, in bounded time, and the caller
(this process) carries on. Files are built here (``corpus/make_corpus.py``), never committed.
No Django; run with ``-p no:django``."""

import io
import os
import time
import zipfile
from pathlib import Path

import pytest

from kaifaqu.spreadsheets.reading import Limits, ReadError, _read_table, read_table
from kaifaqu.spreadsheets.tests.corpus import make_corpus
from kaifaqu.spreadsheets.tests.corpus.make_corpus import (
    add_entries,
    declared_xls,
    declared_xlsx,
    far_cell_xlsx,
    nested_zip,
    repeated_ods,
    rezip,
)
from kaifaqu.spreadsheets.tests.test_reading import BILLION_LAUGHS

CORPUS = Path(make_corpus.__file__).parent
CANDIDATES = ["企业名称", "年份"]
SECONDS = 30  # wall time any refusal here must take at most, on a busy machine
TRIM = (
    "在 Excel 中打开,选中表格下方和右侧多余的行和列(包括只设了格式的空行空列),「删除」,"
    "保存后重新上传;数据确实很多时,请拆分为几个文件分别导入。"
)


def refused(data, name, **options):
    """The ReadError's parts, read through the child process, checked to take bounded time."""
    options.setdefault("header_candidates", CANDIDATES)
    started = time.monotonic()
    with pytest.raises(ReadError) as caught:
        read_table(data, name, **options)
    assert time.monotonic() - started < SECONDS
    return caught.value.code, caught.value.message, caught.value.location


def test_a_cell_at_xfd1048576_is_refused_before_parsing():
    data = far_cell_xlsx(1048575, 16383)
    assert len(data) < 6 * 1024
    assert refused(data, "far.xlsx") == (
        "too_many_rows",
        "工作表「企业数据」的数据超过上限 1,000,000 行(第 1,048,576 行仍有内容)。",
        "企业数据!第 1,048,576 行",
    )


def test_a_far_column_is_refused():
    assert refused(far_cell_xlsx(1, 16383), "wide.xlsx") == (
        "too_many_columns",
        "工作表「企业数据」有 16,384 列(最右到 XFD 列),超过上限 200 列。",
        "企业数据!XFD 列",
    )


def test_a_filled_area_beyond_the_cell_limit_is_refused():
    assert refused(far_cell_xlsx(199_999, 199), "area.xlsx") == (
        "too_many_cells",
        "工作表「企业数据」的数据区域为 200,000 行 × 200 列,共 40,000,000 个单元格,"
        "超过上限 20,000,000 个单元格。",
        "企业数据!A1:GR200000",
    )


def test_a_huge_declared_dimension_is_refused():
    code, message, location = refused(declared_xlsx("A1:XFD1048576"), "declared.xlsx")
    assert (code, message, location) == (
        "declared_too_large",
        "工作表「企业数据」声明的数据范围 A1:XFD1048576 超过上限"
        "(最多 1,000,000 行、200 列、20,000,000 个单元格)。",
        "企业数据!A1:XFD1048576",
    )
    with pytest.raises(ReadError) as caught:
        read_table(declared_xlsx("A1:XFD1048576"), "declared.xlsx")
    assert caught.value.fix == TRIM


def test_an_xls_declaring_four_billion_rows_is_refused_before_parsing():
    assert refused(declared_xls(4_000_000_000, 256), "declared.xls") == (
        "declared_too_large",
        "工作表「企业数据」声明的数据范围 A1:IV4000000000 超过上限"
        "(最多 1,000,000 行、200 列、20,000,000 个单元格)。",
        "企业数据!A1:IV4000000000",
    )


def test_ods_rows_repeated_beyond_the_row_limit():
    data = repeated_ods(2_000_000, 1)
    assert len(data) < 2 * 1024
    assert refused(data, "rows.ods") == (
        "too_many_rows",
        "工作表「企业数据」的数据超过上限 1,000,000 行(第 2,000,001 行仍有内容)。",
        "企业数据!第 2,000,001 行",
    )


def test_ods_columns_repeated_beyond_the_column_limit():
    assert refused(repeated_ods(1, 16_384), "columns.ods")[:2] == (
        "too_many_columns",
        "工作表「企业数据」有 16,384 列(最右到 XFD 列),超过上限 200 列。",
    )


def test_ods_rows_and_columns_repeated_beyond_the_cell_limit():
    assert refused(repeated_ods(999_998, 150), "area.ods")[:2] == (
        "too_many_cells",
        "工作表「企业数据」的数据区域为 999,999 行 × 150 列,共 149,999,850 个单元格,"
        "超过上限 20,000,000 个单元格。",
    )


def test_the_cpu_limit_stops_a_slow_read():
    # Within every size limit, but three million cells take longer than one CPU second.
    assert refused(repeated_ods(999_998, 3), "slow.ods", limits=Limits(max_cpu_seconds=1)) == (
        "unsafe_file",
        "文件无法安全读取:读取用时超过上限 1 秒,系统已停止读取。",
        "",
    )


def test_the_memory_limit_stops_a_large_read():
    # Whether Python (MemoryError) or calamine (an abort) meets the limit first depends on the
    # moment; either way the read is refused and says the limit.
    limits = Limits(max_memory_bytes=400 * 2**20)
    code, message, _ = refused(repeated_ods(999_998, 3), "large.ods", limits=limits)
    assert code == "unsafe_file"
    assert message in (
        "文件无法安全读取:读取所需内存超过上限 400.0 MB,系统已停止读取。",
        "文件无法安全读取:读取程序异常退出(文件内容异常,或读取所需内存超过上限 400.0 MB),"
        "系统已停止读取。",
    )


def test_a_reader_crash_costs_the_child_only():
    # A huge dimension that no check stops any more: calamine aborts the child on its 512 GiB
    # allocation, and the caller gets a refusal instead of dying with it.
    limits = Limits(max_rows=2_000_000, max_columns=20_000, max_cells=2**62)
    code, message, _ = refused(far_cell_xlsx(1048575, 16383), "abort.xlsx", limits=limits)
    assert (code, message) == (
        "unsafe_file",
        "文件无法安全读取:读取程序异常退出(文件内容异常,或读取所需内存超过上限 4.0 GB),"
        "系统已停止读取。",
    )
    assert (
        read_table((CORPUS / "utf8.csv").read_bytes(), "utf8.csv").header[0] == "统一社会信用代码"
    )


def test_a_normal_file_reads_the_same_under_the_limits():
    data = (CORPUS / "happy.xlsx").read_bytes()
    tight = Limits(max_memory_bytes=2**30, max_cpu_seconds=10)
    for limits in (Limits(), tight):
        table = read_table(data, "happy.xlsx", header_candidates=CANDIDATES, limits=limits)
        assert table == _read_table(data, "happy.xlsx", header_candidates=CANDIDATES)


def test_billion_laughs_in_a_part():
    def with_laughs(xml):
        return BILLION_LAUGHS + xml.split(b"?>", 1)[1].replace(b"<t>", b"<t>&lol9;", 1)

    data = rezip((CORPUS / "happy.xlsx").read_bytes(), {"xl/sharedStrings.xml": with_laughs})
    assert refused(data, "laughs.xlsx")[:2] == (
        "xml_entities",
        "文件内部的「xl/sharedStrings.xml」含有 DOCTYPE 或实体(ENTITY)声明。"
        "正常保存的 Excel 文件不会有,为安全起见,系统拒绝读取。",
    )


def test_a_dtd_in_an_ods_file():
    data = rezip(
        (CORPUS / "happy.ods").read_bytes(),
        {
            "content.xml": lambda xml: xml.replace(
                b"?>", b'?><!DOCTYPE x SYSTEM "file:///etc/passwd">', 1
            )
        },
    )
    assert refused(data, "dtd.ods")[:2] == (
        "xml_entities",
        "文件内部的「content.xml」含有 DOCTYPE 或实体(ENTITY)声明。"
        "正常保存的 Excel 文件不会有,为安全起见,系统拒绝读取。",
    )


def test_a_zip_inside_a_zip():
    assert refused(nested_zip(), "nested.xlsx")[:2] == (
        "unknown_format",
        "无法读取「nested.xlsx」:内容是压缩包(zip),不是 Excel 工作簿。",
    )


def test_an_entry_named_with_dot_dot_is_never_extracted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = add_entries((CORPUS / "happy.xlsx").read_bytes(), {"../../evil.txt": b"x"})
    assert "../../evil.txt" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    table = read_table(data, "dots.xlsx", header_candidates=CANDIDATES)
    assert (table.sheet, len(table.rows)) == ("企业数据", 3)
    assert os.listdir(tmp_path) == []
    assert not (tmp_path.parent.parent / "evil.txt").exists()


def test_a_web_page_named_xls():
    assert refused((CORPUS / "webpage.xls").read_bytes(), "webpage.xls")[:2] == (
        "unknown_format",
        "无法读取「webpage.xls」:文件名的扩展名是 .xls,但内容是网页(HTML)。",
    )


def test_mixed_encodings():
    assert refused((CORPUS / "mixed_encoding.csv").read_bytes(), "mixed.csv")[0] == (
        "mixed_encoding"
    )


def test_nul_bytes():
    assert refused("企业名称\n甲\0公司\n".encode(), "nul.csv") == (
        "utf16_without_bom",
        "文件第 2 行含有空字节,像是没有字节顺序标记(BOM)的 UTF-16 文本,无法可靠地识别编码。",
        "第 2 行",
    )


def test_infinite_nan_and_negative_zero_stay_text_for_the_column_check():
    data = "企业名称,纳税总额(万元)\n甲,1e309\n乙,NaN\n丙,-0\n".encode()
    table = read_table(data, "numbers.csv", header_candidates=CANDIDATES)
    assert table.rows == [(2, ["甲", "1e309"]), (3, ["乙", "NaN"]), (4, ["丙", "-0"])]
