"""The problem report as a spreadsheet: the list of problems, and the data with the offending cells
highlighted, so a clerk can fix the file where the mistakes are."""

import io
from typing import Any

import xlsxwriter
from django.http import HttpResponse

from kaifaqu.core.downloads import XLSX, download_response
from kaifaqu.intake.actions import analyse
from kaifaqu.intake.models import ImportBatch
from kaifaqu.spreadsheets.reading import Table

PROBLEMS_PER_PAGE = 100  # a page of a batch's problems, on its page and in its API preview

PROBLEM_COLUMNS = (
    ("sheet", "工作表"),
    ("row", "行号"),
    ("column", "列"),
    ("value", "原值"),
    ("severity", "级别"),
    ("message", "问题"),
    ("fix", "修改建议"),
)
SEVERITY_LABELS = {"error": "错误", "warning": "警告"}


def problem_download(batch: ImportBatch) -> HttpResponse:
    """The batch's problem report as a download, its data sheet read again from the file."""
    table = analyse(batch).table if batch.problems else None
    report = problem_report(batch.problems, table)
    return download_response(report, f"{batch.pk}-问题清单.xlsx", XLSX)


def problem_report(problems: list[dict[str, Any]], table: Table | None) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True, "bg_color": "#E8F0FB"})
    sheet = workbook.add_worksheet("问题清单")
    for col, (_, label) in enumerate(PROBLEM_COLUMNS):
        sheet.write_string(0, col, label, bold)
    for row, problem in enumerate(problems, start=1):
        for col, (key, _) in enumerate(PROBLEM_COLUMNS):
            value = problem[key]
            if key == "severity":
                value = SEVERITY_LABELS[value]
            sheet.write(row, col, "" if value is None else value)
    sheet.set_column(0, 4, 14)
    sheet.set_column(5, 6, 48)
    if table is not None:
        _highlighted_data(workbook, table, problems, bold)
    workbook.close()
    return buffer.getvalue()


def _highlighted_data(
    workbook: Any, table: Table, problems: list[dict[str, Any]], bold: Any
) -> None:
    error = workbook.add_format({"bg_color": "#F8D7DA", "font_color": "#9C0006"})
    warning = workbook.add_format({"bg_color": "#FFF3CD"})
    marked = {
        (p["row"], p["column"]): error if p["severity"] == "error" else warning
        for p in reversed(problems)
        if p["row"] is not None
    }
    sheet = workbook.add_worksheet("数据(已标出问题)")
    for col, header in enumerate(table.header):
        sheet.write_string(0, col, header, bold)
    for out_row, (row_number, cells) in enumerate(table.rows, start=1):
        for col, header in enumerate(table.header):
            value = cells[col] if col < len(cells) else None
            cell_format = marked.get((row_number, header))
            if isinstance(value, str):
                sheet.write_string(out_row, col, value, cell_format)
            else:
                sheet.write(out_row, col, value, cell_format)
