"""The files a run's pages and its API hand out: the ranking as xlsx, the zone-year table as
CSV and a zone's diagnostic report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment.compute import Unit
from kaifaqu.assessment.framework import Document, parse_document
from kaifaqu.assessment.models import AssessmentRun, Report, ZoneResult
from kaifaqu.assessment.runs import load_units
from kaifaqu.core.downloads import CSV, download_response, file_download
from kaifaqu.core.exports import export_response
from kaifaqu.zones.models import Zone

REPORT_FORMATS = ("pdf", "docx")


def ranking_results(user: ActingUser, run: AssessmentRun) -> QuerySet[ZoneResult]:
    """The rows of ``run``'s ranking ``user`` reads (``ZoneResult.objects.ranking``), in order."""
    rows = ZoneResult.objects.ranking(user).filter(run=run).select_related("zone", "run")
    return rows.order_by("published_rank", "zone__code")


def ranking_download(
    run: AssessmentRun, results: QuerySet[ZoneResult]
) -> StreamingHttpResponse | FileResponse:
    """The ranking rows ``results`` as xlsx, with the intervals and medians as numbers."""
    doc = parse_document(run.version.document)
    rows = ranking_rows(doc, results.iterator())
    return export_response("xlsx", f"{run.year}年度排名", ranking_header(doc), rows)


def units_download(run: AssessmentRun, user: ActingUser) -> HttpResponse:
    """The run's zone-year table for the zones ``user`` may see; with the framework's pipeline
    file it runs offline: ``kaifaqu index run FRAMEWORK.toml`` beside ``units.csv``."""
    doc = parse_document(run.version.document)
    visible = ZoneResult.objects.restrict(user).filter(run=run, total__isnull=False)
    zones = list(Zone.objects.filter(pk__in=visible.values("zone_id")).order_by("code"))
    units, _ = load_units(doc, zones, run.year)
    return download_response(units_csv(doc, units), "units.csv", CSV)


def report_file(report: Report, fmt: str) -> FileResponse:
    """The report's PDF or DOCX as a download; 404 if it has no such file."""
    file = report.pdf if fmt == "pdf" else report.docx if fmt == "docx" else None
    if not file:
        raise Http404
    return file_download(file.open("rb"), str(file.name).rsplit("/", 1)[-1])


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
