"""API tokens and 亩均 rows for the API tests."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kaifaqu.access.models import ApiToken
from kaifaqu.access.tokens import digest

SYSTEM_KEY = "kfq_0123456789abcdef0123456789abcdef01234567"


def make_token(user: Any, key: str, **fields: Any) -> Any:
    """A token in use for ``user`` whose key is ``key`` (issue_token makes real ones).

    Its last use is now, so a test's requests do not record it again (``LAST_USED_STEP``).
    """
    now = timezone.now()
    defaults = {"expires": now + timedelta(days=90), "last_used": now}
    return ApiToken.objects.create(
        user=user, name="测试系统", key_hash=digest(key), **{**defaults, **fields}
    )


def assessed_run(zone: Any, framework: Any, *, acting_user: Any) -> Any:
    """A finished assessment run of ``framework`` that ranked ``zone`` alone, every dimension
    and indicator scored."""
    from kaifaqu.assessment.choices import RunState
    from kaifaqu.assessment.framework import parse_document
    from kaifaqu.assessment.models import AssessmentRun, ZoneResult

    run = AssessmentRun.objects.create(
        version=framework.latest(),
        year=2025,
        province_code=zone.province_code,
        state=RunState.DONE,
        created_by=acting_user,
    )
    doc = parse_document(run.version.document)
    ZoneResult.objects.create(
        run=run,
        zone=zone,
        total=Decimal("80.5"),
        rank=1,
        published_rank=1,
        rank_p05=1,
        rank_p95=1,
        dimensions=dict.fromkeys(doc.dimensions, 80.5),
        indicators={
            code: {"value": 1.0, "score": 80.5, "weight": 1 / len(doc.indicators)}
            for code in doc.indicators
        },
    )
    return run


def framework_of(region: Any, *, acting_user: Any, code: str = "six") -> Any:
    """An office's own copy of the provincial six-dimension preset, at version 1."""
    from kaifaqu.assessment.models import AssessmentFramework, FrameworkVersion

    preset = AssessmentFramework.objects.get(owner=None, code="provincial_six")
    framework = AssessmentFramework.objects.create(
        code=code, name=f"{region.name}考核方案", owner=region, based_on=preset
    )
    FrameworkVersion.objects.create(
        framework=framework,
        number=1,
        document=preset.latest().document,
        created_by=acting_user,
    )
    return framework


def evaluated_run(zone: Any, *, acting_user: Any) -> Any:
    """A published 亩均 run of ``zone`` under its own copy of the 黄岩 preset, as a finished job
    leaves it: one graded result per enterprise of the zone, ranked by id."""
    from kaifaqu.enterprises.models import Enterprise
    from kaifaqu.mujun.choices import RunState
    from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Scheme
    from kaifaqu.mujun.scheme import parse_scheme, preset_text

    document = preset_text("huangyan_2022")
    pool = parse_scheme(document).pools[0]
    scheme = Scheme.objects.create(
        name=f"{zone.name}亩均方案",
        preset="huangyan_2022",
        document=document,
        region=zone.region,
        zone=zone,
    )
    run = EvaluationRun.objects.create(
        scheme=scheme,
        year=2025,
        region=zone.region,
        zone=zone,
        state=RunState.PUBLISHED,
        created_by=acting_user,
        scheme_document=document,
    )
    enterprises = Enterprise.objects.filter(zone=zone).order_by("pk")
    for rank, enterprise in enumerate(enterprises, start=1):
        EvaluationResult.objects.create(
            run=run,
            enterprise=enterprise,
            zone=zone,
            pool=pool.code,
            status="graded",
            values=dict.fromkeys(pool.weights, 10.0),
            items=dict.fromkeys(pool.weights, 5.0),
            total=Decimal(100 - rank),
            pool_rank=rank,
            grade="A",
        )
    return run


def finished_job(user: Any, *, year: int = 2025) -> Any:
    """A job of ``user``'s that succeeded and wrote a file."""
    from django.core.files.base import ContentFile

    from kaifaqu.jobs.actions import create_job
    from kaifaqu.jobs.choices import JobState

    job, _ = create_job("zone_summaries", {"year": year}, acting_user=user)
    job.state, job.done, job.total, job.result = JobState.SUCCEEDED, 3, 3, {"rows": 3}
    job.result_file.save(f"summaries-{year}.csv", ContentFile(b"a,b\n"))
    return job


def published_list(region: Any, *, acting_user: Any, state: str = "published") -> Any:
    """A ranking for every business role in ``region`` granting two of its rows' three fields."""
    from django.utils import timezone

    from kaifaqu.publications.models import Publication, audience_roles

    publication = Publication.objects.create(
        title=f"{region.name}开发区排名通报",
        kind="ranking",
        state=state,
        published=timezone.now() if state == "published" else None,
        author=acting_user,
        author_region=region,
        columns=[["rank", "名次"], ["total", "得分"]],
        rows=[{"rank": 1, "total": 80.5, "note": "不公开"}, {"rank": 2, "total": 70, "note": "无"}],
    )
    publication.audience_roles.set(audience_roles(enterprises=True))
    publication.audience_regions.set([region])
    return publication


def refused_batch(user: Any) -> Any:
    """An enterprise list of ``user``'s that failed validation: two errors and a warning (its file
    is no workbook, which a problem report reads again)."""
    from django.core.files.base import ContentFile

    from kaifaqu.intake.models import ImportBatch

    problem = {"sheet": "企业", "row": 2, "column": "统一社会信用代码", "value": "x", "fix": ""}
    batch = ImportBatch(
        kind="enterprises",
        file_name="企业名录.xlsx",
        sha256="0" * 64,
        user=user,
        state="refused",
        counts={"rows": 2, "valid_rows": 0, "invalid_rows": 2, "errors": 2, "warnings": 1},
        problems=[
            {**problem, "severity": "error", "code": "uscc_invalid", "message": "校验位错误"},
            {**problem, "row": 3, "severity": "error", "code": "uscc_invalid", "message": "同上"},
            {**problem, "severity": "warning", "code": "name_changed", "message": "名称变更"},
        ],
    )
    batch.file.save("企业名录.xlsx", ContentFile(b"not a workbook"))  # saves the batch
    return batch
