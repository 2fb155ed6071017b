"""A run evaluated again (an accepted objection) replaces its results and keeps its objections."""

from datetime import date, timedelta

from conftest import make_user
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection

from .conftest import evaluate_now

TODAY = date(2026, 3, 10)


def test_a_rerun_replaces_the_results_and_moves_the_objection_to_the_new_result(run, manager):
    # given a run in 公示 and an objection filed against the weakest result
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
    )
    before = set(EvaluationResult.objects.filter(run=run).values_list("pk", flat=True))
    weakest = EvaluationResult.objects.filter(run=run).order_by("total").first()
    user = make_user("ent", "enterprise_user", enterprise=weakest.enterprise)
    objection = actions.file_objection(
        weakest,
        reason="税收数据漏报",
        evidence="完税证明 2025-001",
        corrected_values={"tax_paid": 5000},
        acting_user=user,
        today=TODAY + timedelta(days=1),
    )
    # when it is accepted and the run is evaluated again
    actions.decide_objection(objection, accept=True, note="核实无误", acting_user=manager)
    run = evaluate_now(EvaluationRun.objects.get(pk=run.pk))
    # then every result is new, one per enterprise as before
    after = EvaluationResult.objects.filter(run=run)
    assert after.count() == len(before) == 5
    assert not before & set(after.values_list("pk", flat=True))
    # and the objection, with its decision, points at the enterprise's new result
    objection = Objection.objects.get(pk=objection.pk)
    assert objection.state == "accepted"
    assert objection.decision_note == "核实无误"
    assert objection.result.run_id == run.pk
    assert objection.result.enterprise_id == weakest.enterprise_id
    assert objection.result.values["tax_per_mu"] == 5000 / 40
