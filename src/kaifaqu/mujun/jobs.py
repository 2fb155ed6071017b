"""The evaluation run job: extract, evaluate, write every result back in one transaction."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import polars as pl
from django.db import transaction

from kaifaqu.audit.log import log_bulk
from kaifaqu.jobs.models import Job
from kaifaqu.jobs.progress import Progress
from kaifaqu.jobs.registry import Fact, JobError, counted, job_kind
from kaifaqu.mujun import bridge
from kaifaqu.mujun.choices import POINTS_COLUMNS, ResultStatus, RunState
from kaifaqu.mujun.evaluation import Evaluation, EvaluationError, evaluate, stored_precision
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun
from kaifaqu.mujun.scheme import Scheme
from kaifaqu.mujun.statuses import Status


def _evaluation_facts(job: Job) -> list[Fact]:
    result = job.result or {}
    run = EvaluationRun.objects.restrict(job.user).filter(pk=result.get("run")).first()
    facts = [Fact("评价批次", str(run), run.get_absolute_url())] if run else []
    statuses = {code: (label, "家") for code, label in ResultStatus.choices}
    return facts + counted(result, {"results": ("写入结果", "条"), **statuses})


@job_kind("mujun_evaluate", "亩均效益评价计算", describe=_evaluation_facts)
def evaluate_run(job: Job, progress: Progress) -> dict[str, Any]:
    """Evaluate one run. Reads as the job's owner; replaces the run's results atomically."""
    run = EvaluationRun.objects.restrict(job.user, "change").filter(pk=job.params["run"]).first()
    if run is None:
        raise JobError("评价批次不存在或不在您的数据范围内")
    progress.start(4, "读取企业年度数据")
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    scheme = run.document()
    frame = bridge.apply_corrections(bridge.extract(run, job.user, run.year), run.corrections)
    prior = bridge.extract(run, job.user, run.year - 1) if scheme.needs_prior_year() else None
    timings["extract"] = _lap(clock)
    if frame.height == 0:
        _fail(run)
        raise JobError(f"{run.jurisdiction_name}{run.year}年没有可评价的企业年度数据")
    progress.advance(message=f"已读取 {frame.height} 家企业,计算中")
    clock = time.perf_counter()
    try:
        evaluation = evaluate(frame, scheme, run.year, prior)
    except EvaluationError as error:
        _fail(run)
        raise JobError(str(error)) from None
    timings["engine"] = _lap(clock)
    progress.advance(message="整理结果")
    clock = time.perf_counter()
    history = _previous_grades(run)
    rows, summary = result_rows(run, scheme, evaluation, frame, history)
    timings["prepare"] = _lap(clock)
    progress.advance(message="写入结果")
    clock = time.perf_counter()
    with transaction.atomic():
        written = bridge.replace_results(run, rows)
        timings["write"] = _lap(clock)
        run.state = RunState.DRAFT if run.state in (RunState.QUEUED, RunState.FAILED) else run.state
        run.engine_version = evaluation.log["engine_version"]
        run.input_hash = evaluation.log["input_hash"]
        run.scheme_digest = scheme.digest
        run.scheme_document = scheme.text
        run.benchmarks = evaluation.benchmarks
        statuses = evaluation.counts()
        run.counts = summary | statuses | {"cutoffs": evaluation.cutoffs}
        run.timings = timings
        run.save()
        counts = {"results": written, **statuses}
        log_bulk(EvaluationResult, label=f"亩均评价结果:{run}", counts=counts, acting_user=job.user)
    progress.advance(message="完成")
    return {"run": run.pk, **counts, "timings": timings}


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _fail(run: EvaluationRun) -> None:
    if run.state == RunState.QUEUED:
        EvaluationRun.objects.filter(pk=run.pk).update(state=RunState.FAILED)


def _previous_grades(run: EvaluationRun) -> pl.DataFrame:
    """Each enterprise's managed grade and consecutive years in the latest published prior year."""
    rows = (
        EvaluationResult.objects.filter(
            run__year=run.year - 1,
            run__state=RunState.PUBLISHED,
            run__province_code=run.province_code,
        )
        .exclude(managed_grade="")
        .order_by("run_id")
        .values_list("enterprise_id", "managed_grade", "years_in_grade")
    )
    latest = {e: (g, y) for e, g, y in rows.iterator(chunk_size=20000)}
    return pl.DataFrame(
        {
            "enterprise_id": list(latest),
            "previous_grade": [g for g, _ in latest.values()],
            "previous_years": [y for _, y in latest.values()],
        },
        schema={"enterprise_id": pl.Int64, "previous_grade": pl.String, "previous_years": pl.Int64},
    )


def result_rows(
    run: EvaluationRun,
    scheme: Scheme,
    evaluation: Evaluation,
    frame: pl.DataFrame,
    history: pl.DataFrame,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Result tuples for the bulk write (JSON as text) and the dashboard summary of the run."""
    result = evaluation.frame.with_columns(
        frame["enterprise_id"]
        .cast(pl.Int64)
        .gather(evaluation.frame["row"])
        .alias("enterprise_id"),
        frame["zone_id"].cast(pl.Int64).gather(evaluation.frame["row"]).alias("zone_id"),
    )
    if "managed_grade" not in result.columns:
        result = result.with_columns(pl.lit(None, dtype=pl.String).alias("managed_grade"))
    result = result.join(history, on="enterprise_id", how="left")
    grade = pl.col("managed_grade")
    result = result.with_columns(  # policies.years_in_grade, vectorised
        pl.when(grade.is_null() | (grade == ""))
        .then(None)
        .when(grade == pl.col("previous_grade"))
        .then(pl.col("previous_years").fill_null(1) + 1)
        .otherwise(1)
        .cast(pl.Int64)
        .alias("years_in_grade")
    )
    table = _encoded(result, scheme).select(
        pl.lit(run.pk).alias("run_id"),
        "enterprise_id",
        "zone_id",
        pl.lit(run.province_code).alias("province_code"),
        pl.col("industry_code").fill_null(""),
        pl.col("pool").fill_null(""),
        "status",
        pl.col("reason").fill_null("").str.slice(0, 120),
        pl.col("values_json").alias("values"),
        pl.col("items_json").alias("items"),
        pl.col("total").round(2),
        pl.col("rank").alias("pool_rank"),
        pl.col("grade").fill_null(""),
        pl.col("managed_grade").fill_null(""),
        "years_in_grade",
        pl.col("warnings_json").alias("warnings"),
        pl.col("explanation_json").alias("explanation"),
    )
    return table, summarise(result)


def _encoded(result: pl.DataFrame, scheme: Scheme) -> pl.DataFrame:
    for column, dtype in (
        ("total", pl.Float64),
        ("rank", pl.Int64),
        ("grade", pl.String),
        ("managed_grade", pl.String),
        ("target_grade", pl.String),
        ("needed_total", pl.Float64),
        ("more_tax", pl.Float64),
        ("less_energy", pl.Float64),
    ):
        if column not in result.columns:
            result = result.with_columns(pl.lit(None, dtype=dtype).alias(column))
    if "vetoes" not in result.columns:
        result = result.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("vetoes"))
    result = result.with_columns(stored_precision(result.columns))
    codes = [ind.code for ind in scheme.used_indicators()]
    values = [pl.col(f"v:{c}").alias(c) for c in codes if f"v:{c}" in result.columns]
    items = [pl.col(f"s:{c}").alias(c) for c in codes if f"s:{c}" in result.columns]
    vetoes = pl.col("vetoes")
    explanation = pl.struct(
        pl.col("target_grade").alias("target"),
        pl.col("needed_total").round(2).alias("needed_total"),
        pl.col("more_tax").round(4).alias("more_tax"),
        (pl.col("more_tax") / pl.col("land_area_mu")).round(4).alias("more_tax_per_mu"),
        pl.col("less_energy").round(4).alias("less_energy"),
        pl.when(vetoes.list.len() > 0).then(vetoes).alias("vetoes"),
        pl.col("previous_grade").alias("previous_grade"),
        # What the bureau's points entries summed to when the run read them, so the result
        # card can tell entries counted here from entries made or withdrawn since.
        *[pl.col(c).alias(c) for c in POINTS_COLUMNS.values()],
    )
    return result.with_columns(
        _json_object(values).alias("values_json"),
        _json_object(items).alias("items_json"),
        pl.struct(pl.col("warnings").alias("w"))
        .struct.json_encode()
        .str.slice(5)
        .str.strip_suffix("}")
        .alias("warnings_json"),
        _without_nulls(explanation.struct.json_encode()).alias("explanation_json"),
    )


def _json_object(fields: list[pl.Expr]) -> pl.Expr:
    return _without_nulls(pl.struct(fields).struct.json_encode()) if fields else pl.lit("{}")


def _without_nulls(text: pl.Expr) -> pl.Expr:
    """Leave out the keys that do not apply (an indicator another pool weighs, no next grade)."""
    return text.str.replace_all(r'"[a-z_0-9]+":null,?', "").str.replace(",}", "}", literal=True)


def summarise(result: pl.DataFrame) -> dict[str, Any]:
    """Counts the run dashboard draws, per zone so a zone user's view sums only its zones."""
    graded = result.filter(pl.col("grade").is_not_null() & (pl.col("grade") != ""))
    by_zone: dict[str, dict[str, int]] = defaultdict(dict)
    for zone, grade, n in graded.group_by("zone_id", "grade").len().rows():
        by_zone[str(zone)][grade] = n
    by_industry: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for zone, industry, grade, n in (
        graded.group_by("zone_id", "industry_code", "grade").len().rows()
    ):
        by_industry[str(zone)][industry or "—"][grade] = n
    scores = graded.with_columns(
        (pl.col("total") // 10 * 10).clip(0, 300).cast(pl.Int64).alias("bin")
    )
    histogram: dict[str, dict[str, int]] = defaultdict(dict)
    for zone, b, n in scores.group_by("zone_id", "bin").len().rows():
        histogram[str(zone)][str(b)] = n
    transitions: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    moved = graded.filter(pl.col("previous_grade").is_not_null())
    for zone, before, after, n in (
        moved.group_by("zone_id", "previous_grade", "managed_grade").len().rows()
    ):
        transitions[str(zone)][before][after] = n
    statuses: dict[str, dict[str, int]] = defaultdict(dict)
    for zone, status, n in result.group_by("zone_id", "status").len().rows():
        statuses[str(zone)][status] = n
    return {
        "by_zone": dict(by_zone),
        "by_industry": {k: dict(v) for k, v in by_industry.items()},
        "histogram": dict(histogram),
        "transitions": {k: dict(v) for k, v in transitions.items()},
        "statuses": dict(statuses),
        "graded": graded.height,
        "status_graded": int((result["status"] == Status.GRADED).sum()),
    }
