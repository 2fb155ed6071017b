"""Formatted xlsx: the 公示 list, the final list and the per-policy lists of a run, and the result
sheet of one enterprise, what a corrected revision changed, and the bureau's points entries."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import xlsxwriter
from django.http import HttpResponse

from kaifaqu.core.downloads import XLSX, download_response
from kaifaqu.mujun.card import Card
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, PointsEntry
from kaifaqu.mujun.points import FIELDS
from kaifaqu.mujun.policies import applied, policy_header
from kaifaqu.mujun.revisions import Change, Outcome
from kaifaqu.spreadsheets.writing import neutralise

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
    return download_response(data, f"{run.year}年度亩均评价{titles.get(kind, '结果')}.xlsx", XLSX)


def build_workbook(run: EvaluationRun, kind: str, results: Iterable[EvaluationResult]) -> bytes:
    """The list as xlsx bytes. A run holds up to a million results: its rows go to a temporary
    file as they are written (constant-memory mode), only the finished file is held."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
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
    headers = LIST_HEADERS + (
        [policy_header(p) for p in scheme.policies] if kind == "policies" else []
    )
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
    cells = [
        number,
        result.enterprise.uscc,
        neutralise(result.enterprise.name),
        result.zone.name,
        scheme.pool_name(result.pool),
        None if result.total is None else float(result.total),
        result.pool_rank,
        result.shown_grade,
        result.get_status_display(),
    ]
    if kind == "policies":
        for policy in scheme.policies:
            value = applied(scheme, policy, result.managed_grade, result.years_in_grade)
            cells.append(value if value or policy.kind != "surcharge" else None)
    return cells


def result_sheet_response(card: Card, history: list[EvaluationResult]) -> HttpResponse:
    result = card.result
    name = f"{result.run.year}年度亩均评价结果单-{result.enterprise.name}.xlsx"
    return download_response(build_result_sheet(card, history), name, XLSX)


def build_result_sheet(card: Card, history: list[EvaluationResult]) -> bytes:
    """One enterprise's card on one printable A4 sheet: identity, result, indicators against
    benchmarks, grade history, policies that apply and the path to the next grade."""
    result, run = card.result, card.result.run
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "section": book.add_format({"bold": True, "font_size": 12}),
        "head": book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1}),
        "label": book.add_format({"bold": True, "border": 1}),
        "cell": book.add_format({"border": 1, "text_wrap": True}),
        "money": book.add_format({"border": 1, "num_format": "#,##0.00"}),
        "ratio": book.add_format({"border": 1, "num_format": "#,##0.0000"}),
    }
    sheet = book.add_worksheet("结果单")
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 6, 14)
    sheet.write(0, 0, f"{run.year}年度工业企业亩均效益综合评价结果单", formats["title"])
    facts = [
        ("企业名称", neutralise(result.enterprise.name)),
        ("统一社会信用代码", result.enterprise.uscc),
        ("所在开发区", result.zone.name),
        ("行业代码", result.industry_code or "—"),
        ("评价池", run.parsed_document.pool_name(result.pool) if result.pool else "—"),
        ("评价批次", f"{run}({run.get_state_display()})"),
        ("总分", None if result.total is None else float(result.total)),
        ("池内排名", result.pool_rank),
        ("等级", card.grade_label or result.shown_grade or "—"),
        ("状态", result.get_status_display() + (f":{result.reason}" if result.reason else "")),
    ]
    row = 2
    for label, value in facts:
        sheet.write(row, 0, label, formats["label"])
        sheet.merge_range(row, 1, row, 4, value, formats["money" if label == "总分" else "cell"])
        row += 1
    row = _indicator_table(sheet, card, row + 1, formats)
    if result.warnings:
        sheet.write(row, 0, "数据提示", formats["label"])
        sheet.merge_range(row, 1, row, 6, ";".join(result.warnings), formats["cell"])
        row += 1
    if vetoes := result.explanation.get("vetoes"):
        sheet.write(row, 0, "否决事项", formats["label"])
        sheet.merge_range(row, 1, row, 6, ";".join(vetoes), formats["cell"])
        row += 1
    row += 1
    sheet.write(row, 0, "差别化政策", formats["section"])
    row += 1
    for policy, applies in card.policies:
        sheet.write(row, 0, policy, formats["label"])
        sheet.merge_range(row, 1, row, 4, applies, formats["cell"])
        row += 1
    row += 1
    sheet.write(row, 0, "提升路径", formats["section"])
    for line in card.improvement or ["已为最高等级或不参与分级"]:
        row += 1
        sheet.write(row, 0, line)
    row += 2
    sheet.write(row, 0, "等级历史(已发布)", formats["section"])
    sheet.write_row(row + 1, 0, ["年度", "等级", "总分", "连续同级(年)"], formats["head"])
    for offset, past in enumerate(history, row + 2):
        sheet.write_row(
            offset,
            0,
            [
                past.run.year,
                past.grade or past.managed_grade or "—",
                None if past.total is None else float(past.total),
                past.years_in_grade,
            ],
            formats["cell"],
        )
    book.close()
    return buffer.getvalue()


def _indicator_table(sheet: Any, card: Card, row: int, formats: dict[str, Any]) -> int:
    """The indicators against the run's benchmarks; returns the next free row."""
    sheet.write(row, 0, "指标与基准", formats["section"])
    headers = ["指标", "单位", "本企业", "基准值", "权重", "得分"]
    if card.has_caps:
        headers.append("封顶得分")
    sheet.write_row(row + 1, 0, headers, formats["head"])
    row += 2
    for line in card.rows:
        sheet.write(row, 0, line.name, formats["cell"])
        sheet.write(row, 1, line.unit, formats["cell"])
        sheet.write(row, 2, line.value, formats["ratio"])
        sheet.write(row, 3, line.benchmark, formats["ratio"])
        sheet.write(row, 4, line.weight, formats["money"])
        sheet.write(row, 5, line.item, formats["money"])
        if card.has_caps:
            sheet.write(row, 6, line.max_item, formats["money"])
        row += 1
    return row


CHANGE_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所在开发区",
    "变化",
    "变化项",
    "原等级",
    "新等级",
    "原总分",
    "新总分",
    "原池内排名",
    "新池内排名",
    "原状态",
    "新状态",
]


def changes_response(old: EvaluationRun, run: EvaluationRun, changes: list[Change]) -> HttpResponse:
    name = f"{run.year}年度亩均评价第{run.revision}版更正差异.xlsx"
    return download_response(build_changes_workbook(old, run, changes), name, XLSX)


def build_changes_workbook(old: EvaluationRun, run: EvaluationRun, changes: list[Change]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    sheet = book.add_worksheet("更正差异")
    sheet.write(
        0,
        0,
        f"{run.year}年度{run.jurisdiction_name}亩均评价第{run.revision}版对第{old.revision}版的更正差异",
        title,
    )
    sheet.write(1, 0, f"共{len(changes)}家企业有变化")
    sheet.write_row(3, 0, CHANGE_HEADERS, head)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 2, 30)
    sheet.set_column(3, len(CHANGE_HEADERS), 11)
    for row, change in enumerate(changes, 4):
        sheet.write_row(
            row,
            0,
            [
                change.uscc,
                neutralise(change.name),
                change.zone,
                change.kind,
                "、".join(change.fields),
                *_pair(change.before, change.after, lambda o: o.grade),
                *_pair(
                    change.before,
                    change.after,
                    lambda o: None if o.total is None else float(o.total),
                ),
                *_pair(change.before, change.after, lambda o: o.rank),
                *_pair(change.before, change.after, lambda o: o.status_label),
            ],
        )
    sheet.freeze_panes(4, 0)
    book.close()
    return buffer.getvalue()


def _pair(
    before: Outcome | None, after: Outcome | None, value: Callable[[Outcome], Any]
) -> list[Any]:
    return [None if before is None else value(before), None if after is None else value(after)]


# The import's columns (so an exported file can be edited and sent back), then what it ignores.
POINTS_HEADERS = [*FIELDS, "企业名称", "所在开发区", "录入人", "录入时间"]


def points_response(entries: Iterable[PointsEntry]) -> HttpResponse:
    return download_response(build_points_workbook(entries), "亩均评价加扣分.xlsx", XLSX)


def build_points_workbook(entries: Iterable[PointsEntry]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"constant_memory": True})  # rows written in order
    head = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    sheet = book.add_worksheet("加扣分")
    sheet.write_row(0, 0, POINTS_HEADERS, head)
    sheet.set_column(0, 0, 22)
    sheet.set_column(4, 6, 30)
    sheet.set_column(7, 9, 16)
    for row, entry in enumerate(entries, 1):
        sheet.write_string(row, 0, entry.enterprise.uscc)
        sheet.write_number(row, 1, entry.year)
        sheet.write_string(row, 2, entry.get_kind_display())
        sheet.write_number(row, 3, float(entry.points))
        sheet.write_string(row, 4, neutralise(entry.item))
        sheet.write_string(row, 5, neutralise(entry.evidence))
        sheet.write_string(row, 6, neutralise(entry.enterprise.name))
        sheet.write_string(row, 7, entry.zone.name)
        sheet.write_string(row, 8, entry.entered_by.get_full_name() or entry.entered_by.username)
        sheet.write_string(row, 9, f"{entry.created:%Y-%m-%d %H:%M}")
    sheet.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
