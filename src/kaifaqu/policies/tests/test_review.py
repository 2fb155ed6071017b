"""The review flow: proposals keep their spans, nothing is supervised before a clerk confirms,
every correction is kept, merge and split, and confirmation into supervised items."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kaifaqu.catalog.models import Indicator
from kaifaqu.policies import actions
from kaifaqu.policies.choices import CorrectionKind, MatchMethod, ProposalState
from kaifaqu.policies.matching import match_unit
from kaifaqu.policies.models import PolicyTask, ProgressReport, ProposedTask, TaskCorrection
from kaifaqu.supervision.choices import ItemState, Level
from kaifaqu.supervision.models import SupervisedItem

pytestmark = pytest.mark.django_db

TODAY = date(2025, 4, 1)


def test_a_proposal_per_measure_with_fields_pointing_at_their_characters(world):
    document, proposals = world["document"], world["proposals"]
    assert list(proposals) == ["一/(一)", "一/(二)", "一/(三)"]  # the bare heading is left out
    first = proposals["一/(一)"]
    text = document.text
    assert [text[u["start"] : u["end"]] for u in first.lead] == ["市商务局", "市发改委"]
    assert text[first.deadline_start : first.deadline_end] == "到2025年"
    assert first.due == date(2025, 12, 31)
    target = first.targets[0]
    assert (target["indicator"], target["comparator"], target["value"], target["unit"]) == (
        "规上工业企业", ">=", "600", "家",
    )  # fmt: skip
    assert text[target["start"] : target["end"]] == "规上工业企业达到600家"
    assert first.measure_text.startswith("(一)培育规上企业")
    assert proposals["一/(二)"].recurrence == "quarterly"


def test_nothing_is_supervised_before_confirmation(world):
    proposal, east = world["proposals"]["一/(一)"], world["users"]["east"]
    actions.correct_units(proposal, lead=["市商务局"], support=["市发改委"], acting_user=east)
    actions.correct_deadline(
        proposal, kind="date", due=date(2025, 9, 30), recurrence="", acting_user=east
    )
    assert SupervisedItem.objects.count() == 0
    assert PolicyTask.objects.count() == 0
    actions.confirm(proposal, acting_user=east, today=TODAY)
    assert SupervisedItem.objects.count() == 1


def test_a_correction_is_kept_with_before_after_who_and_when(world):
    proposal, east = world["proposals"]["一/(一)"], world["users"]["east"]
    actions.correct_units(proposal, lead=["市商务局"], support=["市发改委"], acting_user=east)
    correction = TaskCorrection.objects.get()
    assert correction.kind == CorrectionKind.UNITS
    assert correction.user == east
    assert [u["name"] for u in correction.before["lead"]] == ["市商务局", "市发改委"]
    assert correction.before["support"] == []
    assert [u["name"] for u in correction.after["lead"]] == ["市商务局"]
    # the moved name keeps the span it was read from
    text = world["document"].text
    moved = correction.after["support"][0]
    assert text[moved["start"] : moved["end"]] == "市发改委"
    actions.correct_targets(
        proposal,
        targets=[{"indicator": "规上工业企业", "comparator": ">=", "value": "650", "unit": "家"}],
        acting_user=east,
    )
    targets = TaskCorrection.objects.get(kind=CorrectionKind.TARGETS)
    assert targets.before["targets"][0]["value"] == "600"
    assert targets.after["targets"] == [
        {"indicator": "规上工业企业", "comparator": ">=", "value": "650", "unit": "家"}
    ]


def test_a_refused_review_changes_nothing(world):
    proposal, west = world["proposals"]["一/(一)"], world["users"]["west"]
    with pytest.raises(PermissionDenied):
        actions.correct_units(proposal, lead=["市商务局"], support=[], acting_user=west)
    with pytest.raises(PermissionDenied):
        actions.confirm(proposal, acting_user=west, today=TODAY)
    proposal.refresh_from_db()
    assert [u["name"] for u in proposal.lead] == ["市商务局", "市发改委"]
    assert proposal.state == ProposalState.PROPOSED
    assert TaskCorrection.objects.count() == 0
    assert SupervisedItem.objects.count() == 0


def test_merge_unites_units_and_spans(world):
    proposals, east = world["proposals"], world["users"]["east"]
    first, third = proposals["一/(一)"], proposals["一/(三)"]
    into = actions.merge(third, into=first, acting_user=east)
    third.refresh_from_db()
    assert third.state == ProposalState.MERGED
    assert third.merged_into == into
    assert (into.start, into.end) == (first.start, third.end)
    assert [u["name"] for u in into.lead] == ["市商务局", "市发改委"]
    assert [u["name"] for u in into.support] == ["市商务局"]
    assert into.due == date(2025, 12, 31)  # the task merged into keeps its deadline
    merge = TaskCorrection.objects.get(kind=CorrectionKind.MERGE)
    assert merge.proposal == into
    assert merge.before["merged"]["due"] == "2025-06-30"
    with pytest.raises(actions.Refused):
        actions.confirm(third, acting_user=east, today=TODAY)


def test_split_copies_the_proposal_after_it(world):
    proposals, east = world["proposals"], world["users"]["east"]
    first = proposals["一/(一)"]
    copy = actions.split(first, acting_user=east)
    order = list(world["document"].proposals.values_list("pk", "position"))
    assert order == [
        (first.pk, 1), (copy.pk, 2), (proposals["一/(二)"].pk, 3), (proposals["一/(三)"].pk, 4)
    ]  # fmt: skip
    assert (copy.start, copy.end, copy.lead) == (first.start, first.end, first.lead)
    assert TaskCorrection.objects.get(kind=CorrectionKind.SPLIT).after == {"copy": copy.pk}
    actions.correct_units(copy, lead=["市发改委"], support=[], acting_user=east)
    actions.correct_units(first, lead=["市商务局"], support=[], acting_user=east)
    actions.confirm(first, acting_user=east, today=TODAY)
    actions.confirm(copy, acting_user=east, today=TODAY)
    assert sorted(PolicyTask.objects.values_list("lead_unit__name", flat=True)) == [
        "东城市发展和改革委员会", "东城市商务局",
    ]  # fmt: skip


def test_drop_keeps_the_proposal_as_the_extractors_mistake(world):
    proposal, east = world["proposals"]["一/(二)"], world["users"]["east"]
    actions.drop(proposal, acting_user=east)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DROPPED
    assert TaskCorrection.objects.get().kind == CorrectionKind.DROP
    with pytest.raises(actions.Refused):
        actions.confirm(proposal, acting_user=east, today=TODAY)


def test_confirmation_supervises_one_item_per_lead_unit(world):
    proposal, east = world["proposals"]["一/(三)"], world["users"]["east"]
    units = world["units"]
    Indicator.objects.create(code="gs_enterprises", name="规上工业企业", unit="家")
    (task,) = actions.confirm(proposal, acting_user=east, today=TODAY)
    item = task.item
    assert item.number == "RW-2025-0001"
    assert item.kind.code == "RW"
    assert item.lead_unit == units["reform"]
    assert list(item.supporting_units.all()) == [units["commerce"]]
    assert item.state == ItemState.ASSIGNED
    assert item.deadline == date(2025, 6, 30)
    assert item.level == Level.CITY
    assert item.policy_task == task
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED
    confirmation = TaskCorrection.objects.get(kind=CorrectionKind.CONFIRM)
    assert confirmation.after == {"units": ["东城市发展和改革委员会"], "items": ["RW-2025-0001"]}
    with pytest.raises(actions.Refused):
        actions.confirm(proposal, acting_user=east, today=TODAY)
    # two lead units: two items, each with its target bound to the 数据指标库
    tasks = actions.confirm(world["proposals"]["一/(一)"], acting_user=east, today=TODAY)
    assert [t.item.number for t in tasks] == ["RW-2025-0002", "RW-2025-0003"]
    target = tasks[0].targets.get()
    assert (target.indicator.code, target.value, target.year) == (
        "gs_enterprises", Decimal(600), 2025,
    )  # fmt: skip


def test_a_collective_unit_is_expanded_to_the_registrys_members(world):
    proposal, east = world["proposals"]["一/(二)"], world["users"]["east"]
    tasks = actions.confirm(proposal, acting_user=east, today=date(2025, 8, 1))
    assert sorted(t.lead_unit.name for t in tasks) == [
        "东城经济技术开发区管委会", "东城高新技术产业开发区管委会",
    ]  # fmt: skip
    # quarterly: the report of the period it was confirmed in is open
    assert sorted(ProgressReport.objects.values_list("period", "due")) == [
        ("2025年第3季度", date(2025, 9, 30)), ("2025年第3季度", date(2025, 9, 30)),
    ]  # fmt: skip


def test_an_unmatched_unit_refuses_confirmation_and_changes_nothing(world):
    proposal, east = world["proposals"]["一/(一)"], world["users"]["east"]
    actions.correct_units(proposal, lead=["各街道"], support=[], acting_user=east)
    with pytest.raises(actions.Refused, match="各街道"):
        actions.confirm(proposal, acting_user=east, today=TODAY)
    assert SupervisedItem.objects.count() == 0
    assert ProposedTask.objects.get(pk=proposal.pk).state == ProposalState.PROPOSED


def test_unit_matching_exact_alias_division_and_closest(world):
    region = world["zones"]["east_htz"].region
    exact = match_unit("东城市商务局", region)
    assert (exact.method, exact.units[0].name, exact.percent) == (
        MatchMethod.EXACT, "东城市商务局", 100,
    )  # fmt: skip
    alias = match_unit("市发改委", region)
    assert (alias.method, alias.units[0].name) == (MatchMethod.ALIAS, "东城市发展和改革委员会")
    closest = match_unit("东城市商务厅", region)
    assert (closest.method, closest.units[0].name, closest.percent) == (
        MatchMethod.CLOSEST, "东城市商务局", 83,
    )  # fmt: skip
    collective = match_unit("各经开区及相关区", region)
    assert collective.method == MatchMethod.COLLECTIVE
    assert len(collective.units) == 2
