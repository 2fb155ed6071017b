"""Every refusal of the reading layer, in one place: its code, the clerk's message and the fix.

Each function returns the ``ReadError`` to raise, so the wording of a code is written once and the
tests can pin it.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._places import column_letter, listing, rows_text, sheet_prefix
from ._types import ReadError

SAVE_AS_XLSX = "在 Excel 中打开,「文件」→「另存为」→「Excel 工作簿(*.xlsx)」,保存后重新上传。"
SAVE_AS_CSV_UTF8 = "在 Excel 中「另存为」→「CSV UTF-8(逗号分隔)(*.csv)」,保存后重新上传。"
FORMATS = ".xlsx、.xls、.ods、.csv 或 Excel 的「Unicode 文本」(.txt)"


def size_text(n: int) -> str:
    if n >= 2**30:
        return f"{n / 2**30:,.1f} GB"
    return f"{n / 2**20:,.1f} MB" if n >= 2**20 else f"{n:,} 字节"


def too_large(size: int, limit: int) -> ReadError:
    return ReadError(
        "too_large",
        f"文件大小为 {size_text(size)},超过上限 {size_text(limit)}。",
        "请把数据拆分为几个较小的文件分别上传,或删除文件中无关的工作表和图片。",
    )


def empty_file() -> ReadError:
    return ReadError("empty_file", "文件是空的(0 字节)。", "请确认选对了文件,重新导出后上传。")


def unknown_format(file_name: str, what: str) -> ReadError:
    return ReadError(
        "unknown_format",
        f"无法读取「{file_name}」:{what}。",
        f"请上传 {FORMATS} 文件。{SAVE_AS_XLSX}",
    )


def truncated_file(file_name: str) -> ReadError:
    return ReadError(
        "truncated_file",
        f"「{file_name}」不完整或已损坏,无法读取。",
        "文件不完整或已损坏,请在 Excel 中打开并重新保存后上传;若打不开,请向发送方索取原文件。",
    )


def password_protected(file_name: str) -> ReadError:
    return ReadError(
        "password_protected",
        f"「{file_name}」设有打开密码,无法读取。",
        "在 Excel 中打开,「文件」→「信息」→「保护工作簿」→「用密码进行加密」,"
        "删除密码并保存后上传。",
    )


def zip_bomb(detail: str) -> ReadError:
    return ReadError(
        "zip_bomb",
        f"文件解压后的内容异常:{detail}。为安全起见,系统拒绝读取。",
        f"正常保存的 Excel 文件不会这样。{SAVE_AS_XLSX}数据确实很多时,请拆分为几个文件。",
    )


def xml_entities(part: str) -> ReadError:
    return ReadError(
        "xml_entities",
        f"文件内部的「{part}」含有 DOCTYPE 或实体(ENTITY)声明。"
        "正常保存的 Excel 文件不会有,为安全起见,系统拒绝读取。",
        SAVE_AS_XLSX,
    )


def utf16_without_bom(line: int) -> ReadError:
    return ReadError(
        "utf16_without_bom",
        f"文件第 {line} 行含有空字节,像是没有字节顺序标记(BOM)的 UTF-16 文本,无法可靠地识别编码。",
        SAVE_AS_CSV_UTF8,
        f"第 {line} 行",
    )


def mixed_encoding(lines: Sequence[int], total: int, *, lines_are_utf8: bool) -> ReadError:
    where = rows_text(lines, total)
    if lines_are_utf8:
        what = f"{where}是 UTF-8 编码,其余含中文的行却是 GBK 编码"
    else:
        what = f"{where}不是 UTF-8 编码(多半是 GBK),其余含中文的行却是 UTF-8 编码"
    return ReadError(
        "mixed_encoding",
        f"文件混用了两种编码:{what}(通常是从不同来源复制粘贴拼成的),这些行的中文会变成乱码。",
        "在 Excel 或记事本中打开,改正这些行里的乱码,然后" + SAVE_AS_CSV_UTF8,
        where,
    )


def undecodable_text(line: int, encoding: str) -> ReadError:
    return ReadError(
        "undecodable_text",
        f"文件第 {line} 行不是有效的 {encoding} 文本,无法识别其中的文字。",
        SAVE_AS_CSV_UTF8,
        f"第 {line} 行",
    )


def sheet_not_found(sheet: str, sheets: Sequence[str]) -> ReadError:
    there = "、".join(f"「{name}」" for name in sheets) or "(没有工作表)"
    return ReadError(
        "sheet_not_found",
        f"工作簿中没有名为「{sheet}」的工作表。现有的工作表:{there}。",
        f"请选择现有的工作表之一,或在 Excel 中把数据所在的工作表改名为「{sheet}」。",
    )


def no_header(sheets: Sequence[str], examples: Sequence[str]) -> ReadError:
    looked = "、".join(f"「{name}」" for name in sheets if name)
    known = "、".join(f"「{name}」" for name in examples)
    where = f"工作表{looked}" if looked else "文件"
    return ReadError(
        "no_header",
        f"在{where}的第一行都没有找到本次导入需要的列名(如{known})。可能选错了文件或工作表。",
        "请确认上传的是正确的文件;数据应放在一个工作表里,第一行是与导入模板一致的表头。",
    )


def empty_sheet(sheet: str) -> ReadError:
    where = f"工作表「{sheet}」" if sheet else "文件"
    return ReadError(
        "no_header",
        f"{where}里没有任何内容。",
        "请确认上传的是正确的文件和工作表。",
    )


def title_above_header(sheet: str, first_row: int, header_row: int) -> ReadError:
    rows = (
        f"第 {first_row} 行"
        if header_row == first_row + 1
        else f"第 {first_row}–{header_row - 1} 行"
    )
    where = f"工作表「{sheet}」" if sheet else "文件"
    return ReadError(
        "title_above_header",
        f"{where}的表头应在第一行,但表头看起来在第 {header_row} 行,上方{rows}是标题或说明。",
        "请删除表头上方的标题行和说明行,让表头成为第一行,保存后重新上传。",
        f"{sheet_prefix(sheet)}{rows}",
    )


def merged_header(sheet: str, header_row: int, ranges: Sequence[str]) -> ReadError:
    return ReadError(
        "merged_header",
        f"工作表「{sheet}」的表头(第 {header_row} 行)有合并单元格 {listing(ranges)},"
        "无法确定每一列的列名。",
        "请选中表头,「开始」→「合并后居中」→「取消单元格合并」,让每列的列名各占一个单元格,"
        "只保留一行表头,保存后重新上传。",
        sheet_prefix(sheet) + "、".join(ranges),
    )


def formula_without_value(sheet: str, cells: Sequence[str], total: int) -> ReadError:
    return ReadError(
        "formula_without_value",
        f"工作表「{sheet}」中 {total:,} 个公式单元格没有保存计算结果:{listing(cells, total)}"
        "(文件多半由其他程序生成,未在 Excel 中计算并保存过)。",
        "在 Excel 中打开并保存一次;或选中这些单元格,「复制」→「选择性粘贴」→「粘贴为数值」,"
        "保存后重新上传。",
        sheet_prefix(sheet) + "、".join(cells),
    )


def cell_error(sheet: str, cells: Sequence[str], total: int) -> ReadError:
    return ReadError(
        "cell_error",
        f"工作表「{sheet}」中 {total:,} 个单元格是错误值:{listing(cells, total)}。",
        "请在 Excel 中改正这些单元格的公式或数据(或清空它们),保存后重新上传。",
        sheet_prefix(sheet) + "、".join(cell.split("(")[0] for cell in cells),
    )


def too_many_rows(sheet: str, last_row: int, limit: int) -> ReadError:
    where = f"工作表「{sheet}」" if sheet else "文件"
    return ReadError(
        "too_many_rows",
        f"{where}的数据超过上限 {limit:,} 行(第 {last_row:,} 行仍有内容)。",
        "请把数据拆分为几个文件分别导入;如果表格下方有误输入的内容,请删除这些行。",
        f"{sheet_prefix(sheet)}第 {last_row:,} 行",
    )


def too_many_columns(sheet: str, columns: int, limit: int, row: int | None = None) -> ReadError:
    """``row`` names the row of a text file; a sheet's width is its widest row."""
    letter = column_letter(columns - 1)
    if row is None:
        what = f"工作表「{sheet}」有 {columns:,} 列(最右到 {letter} 列)"
        location = f"{sheet_prefix(sheet)}{letter} 列"
    else:
        what = f"文件第 {row:,} 行有 {columns:,} 列(到 {letter} 列)"
        location = f"第 {row:,} 行"
    return ReadError(
        "too_many_columns",
        f"{what},超过上限 {limit:,} 列。",
        "请删除多余的列(包括表格右侧误输入的内容),保存后重新上传。",
        location,
    )


def cell_too_long(sheet: str, cell: str, length: int, limit: int) -> ReadError:
    place = f"工作表「{sheet}」的单元格" if sheet else "单元格"
    return ReadError(
        "cell_too_long",
        f"{place} {cell} 有 {length:,} 个字符,超过上限 {limit:,} 个字符。",
        "请检查该单元格是否误粘贴了大段内容,删除或缩短后重新上传。",
        sheet_prefix(sheet) + cell,
    )


def field_too_long(line: int, limit: int) -> ReadError:
    return ReadError(
        "cell_too_long",
        f"文件第 {line:,} 行附近有一个单元格超过 {limit:,} 个字符(也可能是引号没有配对,"
        "把后面的内容都算进了一个单元格)。",
        '请检查该行是否误粘贴了大段内容,或有不成对的英文引号("),改正后重新上传。',
        f"第 {line:,} 行",
    )


def csv_syntax(line: int, detail: str) -> ReadError:
    return ReadError(
        "csv_syntax",
        f"文件第 {line:,} 行无法按 CSV 格式读取({detail})。",
        SAVE_AS_CSV_UTF8,
        f"第 {line:,} 行",
    )


TRIM_SHEET = (
    "在 Excel 中打开,选中表格下方和右侧多余的行和列(包括只设了格式的空行空列),「删除」,"
    "保存后重新上传;数据确实很多时,请拆分为几个文件分别导入。"
)


def too_many_cells(sheet: str, rows: int, columns: int, limit: int) -> ReadError:
    return ReadError(
        "too_many_cells",
        f"工作表「{sheet}」的数据区域为 {rows:,} 行 × {columns:,} 列,共 {rows * columns:,} 个"
        f"单元格,超过上限 {limit:,} 个单元格。",
        TRIM_SHEET,
        sheet_prefix(sheet) + f"A1:{column_letter(columns - 1)}{rows}",
    )


def declared_too_large(sheet: str, reference: str, limits: tuple[int, int, int]) -> ReadError:
    rows, columns, cells = limits
    return ReadError(
        "declared_too_large",
        f"工作表「{sheet}」声明的数据范围 {reference} 超过上限(最多 {rows:,} 行、{columns:,} 列、"
        f"{cells:,} 个单元格)。",
        TRIM_SHEET,
        sheet_prefix(sheet) + reference,
    )


def unsafe_file(reason: str) -> ReadError:
    return ReadError(
        "unsafe_file",
        f"文件无法安全读取:{reason},系统已停止读取。",
        f"{SAVE_AS_XLSX}若仍无法导入,请删除表格下方和右侧多余的行和列,或把数据拆分为几个文件。",
    )
