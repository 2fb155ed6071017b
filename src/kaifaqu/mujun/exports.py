"""Formatted xlsx: the 公示 list, the final list and the per-policy lists of a run."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter
from django.http import HttpResponse

from kaifaqu.intake.exports import neutralise
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun
from kaifaqu.mujun.policies import measure, surcharge

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIST_HEADERS = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "所在开发区",
    "评价池",
    "总分",
    "池内排名",
    "等级",
    "状态",
]


def workbook_response(
    run: EvaluationRun, kind: str, results: Iterable[EvaluationResult]
) -> HttpResponse:
    data = build_workbook(run, kind, results)
    titles = {"publicity": "公示名单", "final": "评价结果名单", "policies": "差别化政策清单"}
    name = f"{run.year}年度亩均评价{titles.get(kind, '结果')}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def build_workbook(run: EvaluationRun, kind: str, results: Iterable[EvaluationResult]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    sheet = book.add_worksheet("名单")
    label = (
        "公示名单"
        if kind == "publicity"
        else "评价结果名单"
        if kind == "final"
        else "差别化政策清单"
    )
    sheet.write(
        0, 0, f"{run.year}年度{run.jurisdiction_name}工业企业亩均效益综合评价{label}", title
    )
    if kind == "publicity" and run.publicity_start:
        sheet.write(
            1, 0, f"公示期:{run.publicity_start:%Y年%m月%d日}至{run.publicity_end:%Y年%m月%d日}"
        )
    scheme = run.document()
    headers = LIST_HEADERS + ([p.name for p in scheme.policies] if kind == "policies" else [])
    sheet.write_row(3, 0, headers, head)
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 22)
    sheet.set_column(2, 3, 30)
    sheet.set_column(4, len(headers), 12)
    row = 4
    for number, result in enumerate(results, 1):
        sheet.write_row(row, 0, _cells(number, result, scheme, kind))
        row += 1
    sheet.freeze_panes(4, 0)
    book.close()
    return buffer.getvalue()


def _cells(number: int, result: EvaluationResult, scheme: Any, kind: str) -> list[Any]:
    grade = result.grade or (f"按{result.managed_grade}类管理" if result.managed_grade else "")
    cells = [
        number,
        result.enterprise.uscc,
        neutralise(result.enterprise.name),
        result.zone.name,
        result.pool,
        None if result.total is None else float(result.total),
        result.pool_rank,
        grade,
        result.get_status_display(),
    ]
    if kind == "policies":
        for policy in scheme.policies:
            if policy.kind == "surcharge":
                amount = surcharge(
                    policy,
                    result.managed_grade,
                    result.years_in_grade,
                    c_minus_label=scheme.grading.c_minus_label,
                )
                cells.append(amount or None)
            else:
                cells.append(measure(policy, result.managed_grade))
    return cells
