"""Every stored run of the demo province reproduces from its scheme converted to the current layout.

The demo's runs are computed from documents in the legacy layout (the presets as they shipped
before format version 1, kept in ``tests/legacy/``) and from the current presets; each run's
stored text is converted, read and evaluated again on the run's own data (its accepted
corrections applied), and every enterprise's total and grade must be the stored ones.
"""

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Max

from kaifaqu.catalog.models import Region
from kaifaqu.demo.evaluations import queue_demo_evaluations
from kaifaqu.demo.generator import PROVINCE, generate
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.jobs.actions import run_job
from kaifaqu.jobs.models import Job
from kaifaqu.mujun import actions, bridge
from kaifaqu.mujun.evaluation import evaluate
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun
from kaifaqu.mujun.scheme import parse_scheme
from kaifaqu.mujun.scheme_format import document_version, upgrade_scheme

from .conftest import evaluate_now, object_to_the_weakest

pytestmark = pytest.mark.django_db

LEGACY = Path(__file__).parent / "legacy"
TODAY = date(2026, 3, 10)


def _demo_runs() -> dict[str, str]:
    """The demo province, its queued 亩均 run computed, one run per legacy preset text (the last
    evaluated again after an accepted objection); returns each legacy text by file name."""
    generate(seed=7, enterprises=50)
    analyst = get_user_model().objects.get(username="analyst")
    queue_demo_evaluations(analyst)
    for job in Job.objects.filter(kind="mujun_evaluate", state="queued"):
        run_job(job)
    province = Region.objects.get(code=PROVINCE)
    year = EnterpriseYear.objects.filter(province_code=PROVINCE).aggregate(y=Max("year"))["y"]
    legacy = {path.stem: path.read_text(encoding="utf-8") for path in sorted(LEGACY.glob("*.toml"))}
    for preset_id, text in legacy.items():
        copied = actions.copy_preset(preset_id, region=province, acting_user=analyst)
        version = actions.save_scheme_version(copied, text, acting_user=analyst)
        run = actions.start_run(version, year=year, region=province, zone=None, acting_user=analyst)
        evaluate_now(run)
    _rerun_with_a_correction(EvaluationRun.objects.order_by("-id").first(), analyst)
    return legacy


def _rerun_with_a_correction(run: EvaluationRun, bureau: Any) -> None:
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=bureau
    )
    objection = object_to_the_weakest(run, TODAY + timedelta(days=1))
    actions.decide_objection(objection, accept=True, note="核实无误", acting_user=bureau)
    evaluate_now(EvaluationRun.objects.get(pk=run.pk))


def _stored(run: EvaluationRun) -> dict[int, tuple[Decimal | None, str]]:
    rows = EvaluationResult.objects.filter(run=run).values_list("enterprise_id", "total", "grade")
    return {enterprise: (total, grade) for enterprise, total, grade in rows}


def _recomputed(run: EvaluationRun, text: str) -> dict[int, tuple[Decimal | None, str]]:
    """The run evaluated again, as its job did, under ``text`` instead of its stored document."""
    scheme = parse_scheme(text)
    user = run.created_by
    frame = bridge.apply_corrections(bridge.extract(run, user, run.year), run.corrections)
    prior = bridge.extract(run, user, run.year - 1) if scheme.needs_prior_year() else None
    result = evaluate(frame, scheme, run.year, prior).frame
    enterprises = frame["enterprise_id"].gather(result["row"]).to_list()
    return {
        int(enterprise): (None if total is None else Decimal(f"{total:.2f}"), grade or "")
        for enterprise, total, grade in zip(
            enterprises, result["total"].to_list(), result["grade"].to_list(), strict=True
        )
    }


def test_every_stored_demo_run_reproduces_from_its_converted_scheme():
    # given the demo's runs, three of them computed from legacy documents, one corrected
    legacy = _demo_runs()
    runs = list(EvaluationRun.objects.filter(province_code=PROVINCE).order_by("id"))
    assert len(runs) == 1 + len(legacy)
    assert [run.corrections != {} for run in runs] == [False, False, False, True]
    stored_layouts = [document_version(tomllib.loads(run.scheme_document)) for run in runs]
    assert stored_layouts == [1, 0, 0, 0]
    for run in runs:
        # when its stored document is converted and the run evaluated again under it
        converted = upgrade_scheme(run.scheme_document)
        again = _recomputed(run, converted)
        # then every enterprise has its stored total and grade
        stored = _stored(run)
        assert again == stored, run.scheme.preset
        assert sum(grade != "" for _, grade in stored.values()) > 0
    # and no stored document was rewritten: each run keeps the text it was computed from
    texts = [EvaluationRun.objects.get(pk=run.pk).scheme_document for run in runs[1:]]
    assert texts == list(legacy.values())
