"""The diagnostic report (诊断报告) of a zone in a run: PDF through WeasyPrint, DOCX through
python-docx, from the same profile the page shows."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from kaifaqu.access.users import ActingUser
from kaifaqu.assessment import svg
from kaifaqu.assessment.models import Report, ZoneResult
from kaifaqu.assessment.profile import Profile, build_profile
from kaifaqu.audit.log import log_bulk

CJK_FONT = "Noto Sans CJK SC"


def write_report(result: ZoneResult, user: ActingUser) -> Report:
    """Render both files and store them on the zone's report of this run (replacing any)."""
    profile = build_profile(result, user)
    pdf, docx = report_pdf(profile), report_docx(profile)
    stem = f"{result.run.year}-{result.zone.code}-诊断报告"
    with transaction.atomic():
        report, _ = Report.objects.get_or_create(run=result.run, zone=result.zone)
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        report.save()
        log_bulk(Report, label=f"生成诊断报告:{result}", counts={"files": 2}, acting_user=user)
    return report


def summary(profile: Profile) -> str:
    """One paragraph: score, rank with interval, 进位."""
    r = profile.result
    if r.total is None:
        return f"{r.zone.name}{r.run.year}年度未参与排名:{r.disqualified}。"
    low, high = profile.interval
    interval = "" if low is None else f"(名次区间 {low:g}–{high:g})"
    moved = ""
    if r.progress is not None:
        moved = f",较上年{'进位' if r.progress > 0 else '退位' if r.progress < 0 else '持平'}"
        moved += f"{abs(r.progress)}位" if r.progress else ""
    return (
        f"{r.zone.name}{r.run.year}年度综合得分 {r.total} 分,公布名次第 {r.published_rank} 名"
        f"{interval}{moved};全部参评开发区中总排名第 {r.rank} 名,"
        f"{r.group or '本组'}组内第 {r.group_rank} 名。"
    )


def context(profile: Profile) -> dict[str, Any]:
    labels = [d["label"] for d in profile.dimensions]
    return {
        "p": profile,
        "r": profile.result,
        "summary": summary(profile),
        "radar": mark_safe(
            svg.radar(
                labels,
                [d["score"] for d in profile.dimensions],
                [d["group_mean"] for d in profile.dimensions],
            )
        ),
        "history_chart": mark_safe(svg.rank_history(profile.history)),
        "font": CJK_FONT,
    }


def report_pdf(profile: Profile) -> bytes:
    from weasyprint import HTML

    html = render_to_string("assessment/report.html", context(profile))
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def report_docx(profile: Profile) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn

    r = profile.result
    document = Document()
    style = document.styles["Normal"]
    style.font.name = CJK_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    document.add_heading(f"{r.zone.name} {r.run.year}年度考核评价诊断报告", level=0)
    document.add_paragraph(summary(profile))
    document.add_heading("一、维度得分与名次", level=1)
    _table(
        document,
        ["维度", "权重", "得分", "组内平均", "维度排名"],
        [
            [d["label"], d["weight"], d["score"], d["group_mean"], d["rank"]]
            for d in profile.dimensions
        ],
    )
    document.add_heading("二、历年名次", level=1)
    _table(
        document,
        ["年度", "综合得分", "公布名次", "名次区间(P5–P95)", "进位"],
        [[h["year"], h["total"], h["rank"], _range(h), h["progress"]] for h in profile.history],
    )
    for title, rows in (("三、优势指标", profile.strengths), ("四、短板指标", profile.weaknesses)):
        document.add_heading(title, level=1)
        _table(
            document,
            ["指标", "数值", "标准化得分", "组内平均", "差距"],
            [[g["label"], g["value"], g["score"], g["group_mean"], g["gap"]] for g in rows],
        )
    document.add_heading("五、提升名次最有效的指标", level=1)
    _table(
        document,
        ["指标", "达到最优可增分", "当前总排名", "可升至"],
        [[v["label"], v["gain"], v["rank"], v["new_rank"]] for v in profile.levers],
    )
    if not profile.levers:
        document.add_paragraph(profile.levers_note)
    if profile.targets or profile.rank_targets:
        document.add_heading("六、发展目标进度", level=1)
    if profile.targets:
        _table(
            document,
            ["指标", "目标年度", "目标值", "最新实际", "按当前速度可达目标"],
            [
                [t["indicator"].name, t["target"].year, t["target"].value, t["latest"],
                 None if t["share"] is None else f"{t['share']}%"]
                for t in profile.targets
            ],
        )  # fmt: skip
    if profile.rank_targets:
        _table(
            document,
            ["名次目标", "目标年度", "目标名次", "最新公布名次", "按当前速度"],
            [
                [t["target"].get_level_display(), t["target"].year, f"前 {t['target'].rank} 位",
                 t["latest"], t["outlook"]]
                for t in profile.rank_targets
            ],
        )  # fmt: skip
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _range(point: dict[str, Any]) -> str:
    return "" if point["low"] is None else f"{point['low']:g}–{point['high']:g}"


def _table(document: Any, header: list[str], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = (
                "—"
                if value is None
                else (f"{value:.4g}" if isinstance(value, float) else str(value))
            )
