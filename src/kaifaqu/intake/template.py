"""The downloadable Excel template of an import kind: headers with units, drop-down lists for
choices and for the codes the user may use, and an instructions sheet."""

import io
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Industry
from kaifaqu.spreadsheets.columns import IGNORED, REFERENCE, KindSpec
from kaifaqu.zones.models import Zone

ROWS_WITH_VALIDATION = 100_000


def template_workbook(spec: KindSpec, user: ActingUser) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#E8F0FB", "text_wrap": True})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE8E6", "text_wrap": True})
    text = workbook.add_format({"num_format": "@"})
    data = workbook.add_worksheet(spec.sheet)
    lists = _lists_sheet(workbook, user)
    for col, column in enumerate(spec.written):
        data.write_string(0, col, column.header, required if column.required else header)
        as_text = column.type in ("uscc", "code", "ref", "list", "text")
        data.set_column(col, col, max(12, len(column.header) * 2), text if as_text else None)
        source = _validation_source(column, lists)
        if source:
            data.data_validation(
                1, col, ROWS_WITH_VALIDATION, col, {"validate": "list", "source": source}
            )
    data.freeze_panes(1, 0)
    _instructions(workbook, spec, header)
    workbook.close()
    return buffer.getvalue()


def _lists_sheet(workbook: Any, user: ActingUser) -> dict[str, str]:
    """A hidden sheet with the zone and industry codes; returns list name → range."""
    sheet = workbook.add_worksheet("代码表")
    zones = list(Zone.objects.restrict(user, "change").values_list("code", "name"))
    industries = list(Industry.objects.filter(level="division").values_list("code", "name"))
    ranges = {}
    for col, (name, items) in enumerate((("zone", zones), ("industry", industries))):
        for row, (code, label) in enumerate(items):
            sheet.write_string(row, col * 2, code)
            sheet.write_string(row, col * 2 + 1, label)
        letter = xl_col_to_name(col * 2)
        ranges[name] = f"='代码表'!${letter}$1:${letter}${max(1, len(items))}"
    sheet.hide()
    return ranges


def _validation_source(column: Any, lists: dict[str, str]) -> Any:
    if column.type in ("choice", "bool"):
        return [label for _, label in column.choices]
    if column.type == "ref" and column.key in lists:
        return lists[column.key]
    return None


def _instructions(workbook: Any, spec: KindSpec, bold: Any) -> None:
    sheet = workbook.add_worksheet("填写说明")
    rules = [
        "在「" + spec.sheet + "」工作表第2行起每行填写一条记录,不要修改表头;红色表头为必填。",
        "金额单位以表头括号中的单位为准(可改为 元、万元 或 亿元,系统自动换算为万元)。",
        "代码类单元格(如统一社会信用代码)请保持文本格式,避免Excel把长数字改坏。",
        "缺失的数据请留空,不要填0:0表示真实的零值。",
        "公式单元格请先「复制」→「选择性粘贴为数值」。",
        *_reading_aids(spec),
    ]
    lines = [f"{spec.sheet}导入模板", *(f"{n}. {rule}" for n, rule in enumerate(rules, start=1))]
    for row, line in enumerate(lines):
        sheet.write_string(row, 0, line, bold if row == 0 else None)
    start = len(lines) + 1
    for col, title in enumerate(("列", "单位", "必填", "说明")):
        sheet.write_string(start, col, title, bold)
    for row, column in enumerate(spec.written, start=start + 1):
        choices = "、".join(label for _, label in column.choices)
        note = column.note or (f"可选:{choices}" if choices else "")
        sheet.write_row(row, 0, [column.name, column.unit, "是" if column.required else "", note])
    sheet.set_column(0, 0, 28)
    sheet.set_column(3, 3, 60)


def _reading_aids(spec: KindSpec) -> list[str]:
    """What the instructions say of the columns kept for the file's reader: checked, or skipped."""
    rules = []
    references = "、".join(c.name for c in spec.columns if c.use == REFERENCE)
    if references:
        rules.append(
            f"{references}为对照列:导入时与企业名录核对,不一致时给出警告,不会保存;"
            "要修改请先更新企业名录。"
        )
    ignored = "、".join(c.name for c in spec.columns if c.use == IGNORED)
    if ignored:
        rules.append(f"{ignored}列可以保留,导入时忽略。")
    return rules
