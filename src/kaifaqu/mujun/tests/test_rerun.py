"""A run evaluated again (an accepted objection) replaces its results and keeps its objections."""

from datetime import date, timedelta

from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection

from .conftest import evaluate_now, object_to_the_weakest

TODAY = date(2026, 3, 10)


def test_a_rerun_replaces_the_results_and_moves_the_objection_to_the_new_result(run, manager):
    # given a run in 公示 and an objection filed against the weakest result
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
    )
    before = set(EvaluationResult.objects.filter(run=run).values_list("pk", flat=True))
    objection = object_to_the_weakest(run, TODAY + timedelta(days=1))
    weakest = objection.result
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
