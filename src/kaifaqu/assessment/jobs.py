"""Jobs of the assessment app: a run, and a zone's diagnostic report."""

from typing import Any

from django.urls import reverse

from kaifaqu.assessment.choices import RunState
from kaifaqu.assessment.models import AssessmentRun, Report, ZoneResult
from kaifaqu.assessment.reports import write_report
from kaifaqu.assessment.runs import execute_run
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import Fact, JobError, counted, job_kind

RUN_COUNTS = {
    "zones": ("参评开发区", "个"),
    "ranked": ("排名开发区", "个"),
    "disqualified": ("取消参评资格", "个"),
    "findings": ("动态管理提示", "条"),
}


def _run_facts(job: Job) -> list[Fact]:
    result = job.result or {}
    run = AssessmentRun.objects.restrict(job.user).filter(pk=result.get("run") or 0).first()
    facts = [Fact("考核运行", str(run), run.get_absolute_url())] if run else []
    return facts + counted(result, RUN_COUNTS)


def _report_facts(job: Job) -> list[Fact]:
    report = Report.objects.restrict(job.user).filter(pk=(job.result or {}).get("report")).first()
    if report is None:
        return []
    return [
        Fact(label, "下载", reverse("assessment:report_file", args=[report.pk, fmt]))
        for fmt, label in (("pdf", "诊断报告(PDF)"), ("docx", "诊断报告(Word)"))
        if getattr(report, fmt)
    ]


@job_kind("assessment_run", "开发区考核评价运行", describe=_run_facts)
def run_assessment(job: Job, progress: Progress) -> dict[str, Any]:
    """Score and rank the run's zones; a failure marks the run failed with the reason."""
    run = AssessmentRun.objects.restrict(job.user).filter(pk=job.params["run"]).first()
    if run is None:
        raise JobError("考核运行不存在或不在您的数据范围内")
    try:
        return execute_run(run, job.user, progress)
    except JobError as error:
        AssessmentRun.objects.filter(pk=run.pk).update(state=RunState.FAILED, error=str(error))
        raise


@job_kind("assessment_report", "开发区诊断报告", describe=_report_facts)
def diagnostic_report(job: Job, progress: Progress) -> dict[str, Any]:
    result = (
        ZoneResult.objects.restrict(job.user)
        .select_related("run__version__framework", "zone__region")
        .filter(run_id=job.params["run"], zone_id=job.params["zone"])
        .first()
    )
    if result is None:
        raise JobError("该开发区的考核结果不存在或不在您的数据范围内")
    progress.start(2, "生成诊断报告")
    report = write_report(result, job.user)
    progress.advance(2, "诊断报告已生成")
    return {"report": report.pk, "pdf": report.pdf.name, "docx": report.docx.name}
