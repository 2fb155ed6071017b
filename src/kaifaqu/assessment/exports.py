"""The files a run's pages hand out: the ranking as xlsx and the zone-year table as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import xlsxwriter

from kaifaqu.assessment.compute import Unit
from kaifaqu.assessment.framework import Document
from kaifaqu.assessment.models import ZoneResult


def ranking_table(doc: Document, rows: Iterable[ZoneResult]) -> list[list[Any]]:
    """The ranking as the export shows it: a header, then one row per zone result."""
    header = ["公布名次", "P5", "P95", "开发区代码", "开发区", "比较组", "综合得分", "总排名"]
    header += ["组内排名", *(doc.label(d) for d in doc.dimensions), "进位", "取消资格原因"]
    header += ["平均名次", "名次中位数", "得分中位数", "得分区间P5", "得分区间P95"]
    table: list[list[Any]] = [header]
    for r in rows:
        low, high = r.published_interval
        table.append(
            [r.published_rank, low, high, r.zone.code, r.zone.name, r.group]
            + [None if r.total is None else float(r.total), r.rank, r.group_rank]
            + [r.dimensions.get(d) for d in doc.dimensions]
            + [r.progress, r.disqualified]
            + [r.rank_mean, r.rank_median, r.score_median, r.score_p05, r.score_p95]
        )
    return table


def ranking_xlsx(doc: Document, rows: Iterable[ZoneResult]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("排名")
    for i, row in enumerate(ranking_table(doc, rows)):
        sheet.write_row(i, 0, row)
    book.close()
    return buffer.getvalue()


def units_csv(doc: Document, units: Iterable[Unit]) -> str:
    """The zone-year table in the engine's iData layout (uCode, group, indicators, deduction
    items), so ``kaifaqu index run FRAMEWORK.toml`` recomputes the run offline."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["uCode", "group", *doc.indicators, *doc.others])
    for unit in units:
        values = [_cell(unit.values.get(c)) for c in doc.indicators]
        others = [_cell(unit.others.get(c) or 0) for c in doc.others]
        writer.writerow([unit.code, unit.group, *values, *others])
    return buffer.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else repr(value)
