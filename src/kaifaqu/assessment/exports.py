"""The files a run's pages hand out: the ranking's rows and the zone-year table as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from kaifaqu.assessment.compute import Unit
from kaifaqu.assessment.framework import Document
from kaifaqu.assessment.models import ZoneResult


def ranking_header(doc: Document) -> list[str]:
    header = ["公布名次", "P5", "P95", "开发区代码", "开发区", "比较组", "综合得分", "总排名"]
    header += ["组内排名", *(doc.label(d) for d in doc.dimensions), "进位", "取消资格原因"]
    return [*header, "平均名次", "名次中位数", "得分中位数", "得分区间P5", "得分区间P95"]


def ranking_rows(doc: Document, results: Iterable[ZoneResult]) -> Iterator[list[Any]]:
    """The ranking as the export shows it, one row per zone result (read as they come)."""
    for r in results:
        low, high = r.published_interval
        yield (
            [r.published_rank, low, high, r.zone.code, r.zone.name, r.group]
            + [None if r.total is None else float(r.total), r.rank, r.group_rank]
            + [r.dimensions.get(d) for d in doc.dimensions]
            + [r.progress, r.disqualified]
            + [r.rank_mean, r.rank_median, r.score_median, r.score_p05, r.score_p95]
        )


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
