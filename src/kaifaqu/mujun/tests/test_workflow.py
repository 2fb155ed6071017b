"""Runs, statuses in the database, 公示, objections, publication, corrections, grade history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from kaifaqu.audit.models import DomainEvent, ObjectChange
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult, EvaluationRun, Objection
from kaifaqu.publications.models import Publication

from .conftest import evaluate_now, object_to_the_weakest

TODAY = date(2026, 3, 10)


def open_publicity(run, manager):
    return actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
    )


def test_a_run_stores_every_result_with_its_versions(run):
    # then five enterprises have results; scheme, engine and input are recorded
    results = EvaluationResult.objects.filter(run=run).order_by("enterprise_id")
    assert results.count() == 5
    assert run.state == "draft"
    assert run.engine_version == "1.1.0"
    assert run.input_hash.startswith("sha256:")
    assert run.scheme_digest.startswith("sha256:")
    best = results.last()
    assert best.grade == "A"
    assert best.pool_rank == 1
    assert best.pool == "above"
    assert set(best.values) == {
        "tax_per_mu",
        "va_per_mu",
        "va_per_energy",
        "va_per_emission",
        "labor_prod",
        "rd_intensity",
    }
    assert best.values["tax_per_mu"] == 500 / 40
    worst = results.first()
    assert worst.explanation["target"] == "B"
    assert worst.explanation["more_tax"] > 0
    # one change-log entry for the batch, with its counts
    bulk = ObjectChange.objects.filter(action="bulk", object_repr__startswith="亩均评价结果")
    assert bulk.count() == 1
    assert bulk.get().after["results"] == 5


def test_the_run_reads_only_the_jurisdiction(rich_province, scheme, manager):
    # given a run of the east zone alone
    zone = rich_province["zones"]["east"]
    run = actions.start_run(scheme, year=2025, region=zone.region, zone=zone, acting_user=manager)
    run = evaluate_now(run)
    assert set(EvaluationResult.objects.filter(run=run).values_list("zone_id", flat=True)) == {
        zone.pk
    }


def test_the_jurisdictions_analyst_opens_the_publicity(run, province_analyst, rich_province):
    # the 公示 is the analyst's duty; a city's analyst and a read-only leader may not open it
    city = rich_province["zones"]["west"].region
    for refused in (
        make_user("city", "city_analyst", region=city),
        make_user("leader", "leadership", region=rich_province["province"]),
    ):
        with pytest.raises(PermissionDenied):
            actions.start_publicity(
                run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=refused
            )
    assert EvaluationRun.objects.get(pk=run.pk).state == "draft"
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=province_analyst
    )
    assert (run.state, run.publicity.author, run.publicity_start) == (
        "publicity",
        province_analyst,
        TODAY,
    )


def test_publicity_window_must_be_3_to_30_days(run, manager):
    with pytest.raises(ValidationError, match="3至30个自然日"):
        actions.start_publicity(
            run, start=TODAY, end=TODAY + timedelta(days=1), acting_user=manager
        )


def test_objection_flow_accepted_correction_reruns_and_publishes(run, manager, rich_province):
    # given the run in 公示
    run = open_publicity(run, manager)
    assert run.publicity.state == "published"
    assert run.publicity.kind == "publicity"
    # when the weakest enterprise's own user objects with evidence and a corrected tax
    objection = object_to_the_weakest(run, TODAY + timedelta(days=1))
    weakest = objection.result
    # then publication waits for the decision
    with pytest.raises(ValidationError, match="未处理的异议"):
        actions.publish_run(run, acting_user=manager, today=TODAY + timedelta(days=10))
    # when the bureau accepts it, the run is evaluated again with the correction
    actions.decide_objection(objection, accept=True, note="核实无误", acting_user=manager)
    run = evaluate_now(EvaluationRun.objects.get(pk=run.pk))
    corrected = EvaluationResult.objects.get(run=run, enterprise=weakest.enterprise)
    assert corrected.grade == "A"
    assert corrected.values["tax_per_mu"] == 5000 / 40
    # and once the window closed it is published, immutable, with the final list
    with pytest.raises(ValidationError, match="届满后"):
        actions.publish_run(run, acting_user=manager, today=TODAY + timedelta(days=6))
    run = actions.publish_run(run, acting_user=manager, today=TODAY + timedelta(days=7))
    assert run.state == "published"
    assert run.final_list.kind == "grade_list"
    kinds = set(DomainEvent.objects.values_list("kind", flat=True))
    assert {
        "mujun_publicity",
        "mujun_objection_filed",
        "mujun_objection_accepted",
        "mujun_published",
    } <= kinds
    with pytest.raises(ValidationError):
        actions.start_publicity(
            run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
        )


def test_objections_outside_the_window_or_scope_are_refused(run, manager, rich_province, zone_user):
    run = open_publicity(run, manager)
    west = EvaluationResult.objects.filter(run=run, zone=rich_province["zones"]["west"]).first()
    east = EvaluationResult.objects.filter(run=run, zone=rich_province["zones"]["east"]).first()
    with pytest.raises(PermissionDenied):
        actions.file_objection(west, reason="x", evidence="y", acting_user=zone_user, today=TODAY)
    with pytest.raises(ValidationError, match="公示期内"):
        actions.file_objection(
            east, reason="x", evidence="y", acting_user=zone_user, today=TODAY + timedelta(days=30)
        )
    objection = actions.file_objection(
        east, reason="x", evidence="y", acting_user=zone_user, today=TODAY
    )
    # a rejected objection changes nothing
    actions.decide_objection(objection, accept=False, note="证据不足", acting_user=manager)
    assert Objection.objects.get().state == "rejected"
    assert EvaluationRun.objects.get(pk=run.pk).corrections == {}


def test_a_correction_after_publication_is_a_new_revision(run, manager):
    run = open_publicity(run, manager)
    run = actions.publish_run(run, acting_user=manager, today=TODAY + timedelta(days=7))
    new = evaluate_now(actions.correct_published(run, acting_user=manager))
    assert (new.revision, new.supersedes_id, new.state) == (2, run.pk, "draft")
    new = open_publicity(new, manager)
    actions.publish_run(new, acting_user=manager, today=TODAY + timedelta(days=7))
    assert EvaluationRun.objects.get(pk=run.pk).state == "superseded"


def test_grade_history_counts_consecutive_years(rich_province, scheme, manager):
    # given 2024 published, then 2025 evaluated: the same grades continue
    first = evaluate_now(
        actions.start_run(
            scheme, year=2024, region=rich_province["province"], zone=None, acting_user=manager
        )
    )
    first = open_publicity(first, manager)
    actions.publish_run(first, acting_user=manager, today=TODAY + timedelta(days=7))
    second = evaluate_now(
        actions.start_run(
            scheme, year=2025, region=rich_province["province"], zone=None, acting_user=manager
        )
    )
    streaks = set(
        EvaluationResult.objects.filter(run=second).values_list("years_in_grade", flat=True)
    )
    assert streaks == {2}
    assert second.counts["transitions"]


def test_scheme_versions_keep_the_old_one(scheme, manager):
    edited = scheme.document.replace("tax_per_mu = 24.097", "tax_per_mu = 25.0")
    new = actions.save_scheme_version(scheme, edited, acting_user=manager)
    assert (new.version, new.previous_id) == (2, scheme.pk)
    scheme.refresh_from_db()
    assert "24.097" in scheme.document
    with pytest.raises(ValidationError):
        actions.save_scheme_version(scheme, "[scheme]\nid = 1", acting_user=manager)


def test_published_lists_are_visible_to_the_audience(run, manager, zone_user):
    run = open_publicity(run, manager)
    assert Publication.objects.restrict(zone_user).filter(pk=run.publicity_id).exists()
