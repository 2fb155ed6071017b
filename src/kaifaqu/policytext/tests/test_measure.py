"""The matching of extracted measures against label tasks, on small hand-built documents."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kaifaqu.policytext.measure import score
from kaifaqu.policytext.model import (
    Comparator,
    Deadline,
    ExtractedDocument,
    Measure,
    Role,
    Span,
    Target,
    UnitRef,
)

TEXT = (
    "一、总体要求\n"
    "(一)规上企业。到2025年,全市规上工业企业达到6000家。(责任单位:市商务局、市发改委)\n"
    "(二)服务效能。每年召开一次推进会。(牵头单位:市政务办;责任单位:各市、县(区)政府)\n"
    "附:来源:某网站\n"
)
NO_SPAN = Span(0, 0)


def _span(fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(start, start + len(fragment))


def _unit(name: str, role: Role = "lead") -> UnitRef:
    return UnitRef(name=name, role=role, span=NO_SPAN)


def _due(day: date) -> Deadline:
    return Deadline(kind="date", due=day, recurrence=None, text="", span=NO_SPAN)


YEARLY = Deadline(kind="recurring", due=None, recurrence="yearly", text="每年", span=NO_SPAN)
STANDING = Deadline(kind="standing", due=None, recurrence=None, text="", span=NO_SPAN)


def _target(indicator: str, comparator: Comparator, value: str, unit: str) -> Target:
    return Target(indicator, comparator, Decimal(value), unit, text="", span=NO_SPAN)


def _measure(
    path: str,
    fragment: str,
    units: tuple[UnitRef, ...] = (),
    deadlines: tuple[Deadline, ...] = (),
    targets: tuple[Target, ...] = (),
) -> Measure:
    return Measure(path, fragment[:6], _span(fragment), units, deadlines, targets)


FIRST = "(一)规上企业。到2025年,全市规上工业企业达到6000家。(责任单位:市商务局、市发改委)"
SECOND = "(二)服务效能。每年召开一次推进会。(牵头单位:市政务办;责任单位:各市、县(区)政府)"
WHOLE = TEXT[: TEXT.index("附")]


def _document(*measures: Measure) -> ExtractedDocument:
    return ExtractedDocument("总体要求", "", "", date(2021, 2, 23), measures, TEXT)


def _labels(*tasks: dict[str, Any]) -> dict[str, Any]:
    return {"seed": "999_test.txt", "issued": "2021-02-23", "tasks": list(tasks)}


FIRST_TASK: dict[str, Any] = {
    "anchor": "(责任单位:市商务局",
    "lead": ["市商务局", "市发改委"],
    "support": [],
    "deadlines": [{"due": "2025-12-31"}],
    "targets": [{"indicator": "规上工业企业", "comparator": ">=", "value": "6000", "unit": "家"}],
}
SECOND_TASK: dict[str, Any] = {
    "anchor": "每年召开一次推进会",
    "lead": ["市政务办"],
    "support": ["各市、县(区)政府"],
    "deadlines": [{"recurrence": "yearly"}],
    "targets": [],
}
FIRST_RIGHT = _measure(
    "一/(一)",
    FIRST,
    (_unit("市商务局"), _unit("市发改委")),
    (_due(date(2025, 12, 31)),),
    (_target("全市规上工业企业", ">=", "6000.0", "家"),),
)
SECOND_RIGHT = _measure(
    "一/(二)",
    SECOND,
    (_unit("市政务办"), _unit("各市、县(区)政府", "support")),
    (YEARLY,),
)


def test_a_faithful_extraction_scores_one_everywhere() -> None:
    document = _document(_measure("一", WHOLE), FIRST_RIGHT, SECOND_RIGHT)
    scores = score(document, _labels(FIRST_TASK, SECOND_TASK))
    for field, labelled in ((scores.units, 4), (scores.deadlines, 2), (scores.targets, 1)):
        counts = (field.labelled, field.extracted, field.matched_labelled, field.matched_extracted)
        assert counts == (labelled,) * 4
        assert (field.precision, field.recall) == (1.0, 1.0)
        assert field.missed == field.spurious == ()
    assert scores.unplaced == ()


def test_a_wrong_role_is_one_miss_and_one_false_unit() -> None:
    wrong = _measure("一/(二)", SECOND, (_unit("市政务办"), _unit("各市、县(区)政府")), (YEARLY,))
    scores = score(_document(FIRST_RIGHT, wrong), _labels(FIRST_TASK, SECOND_TASK))
    assert (scores.units.matched_labelled, scores.units.matched_extracted) == (3, 3)
    assert scores.units.precision == scores.units.recall == 0.75
    assert scores.units.missed == ("一/(二): 各市、县(区)政府 (support)",)
    assert scores.units.spurious == ("一/(二): 各市、县(区)政府 (lead)",)


def test_items_on_the_enclosing_measure_do_not_count_for_the_innermost() -> None:
    parent = _measure("一", WHOLE, (_unit("市商务局"),), (STANDING,))
    scores = score(_document(parent, FIRST_RIGHT, SECOND_RIGHT), _labels(FIRST_TASK, SECOND_TASK))
    assert scores.units.recall == 1.0
    assert scores.units.precision == 4 / 5
    assert scores.units.spurious == ("一: 市商务局 (lead)",)
    assert scores.deadlines.spurious == ("一: standing",)


def test_a_task_outside_every_measure_is_unplaced_and_missed_entirely() -> None:
    scores = score(_document(SECOND_RIGHT), _labels(FIRST_TASK, SECOND_TASK))
    assert scores.unplaced == ("(责任单位:市商务局",)
    assert (scores.units.matched_labelled, scores.units.labelled) == (2, 4)
    assert (scores.units.matched_extracted, scores.units.extracted) == (2, 2)
    assert scores.units.precision == 1.0
    assert scores.targets.recall == 0.0
    assert scores.targets.missed == ("unplaced task «(责任单位:市商务局»: 规上工业企业 >= 6000家",)


def test_two_blocks_of_one_measure_count_their_units_and_deadlines_apart() -> None:
    text_task = dict(SECOND_TASK, anchor="(牵头单位:市政务办")
    scores = score(_document(SECOND_RIGHT), _labels(SECOND_TASK, text_task))
    assert (scores.units.labelled, scores.units.matched_labelled) == (4, 4)
    assert (scores.units.extracted, scores.units.matched_extracted) == (2, 2)
    assert (scores.deadlines.labelled, scores.deadlines.extracted) == (2, 1)
    assert (scores.deadlines.precision, scores.deadlines.recall) == (1.0, 1.0)


def test_an_anchor_missing_from_the_text_is_an_error_in_the_labels() -> None:
    task = dict(FIRST_TASK, anchor="(责任单位:市财政局")
    with pytest.raises(ValueError, match="市财政局"):
        score(_document(FIRST_RIGHT), _labels(task))


def test_units_match_across_bracket_widths_and_spaces() -> None:
    full_width = _measure(
        "一/(二)", SECOND, (_unit("市政务办 "), _unit("各市、县(区)政府", "support")), (YEARLY,)
    )
    scores = score(_document(full_width), _labels(SECOND_TASK))
    assert scores.units.matched_labelled == scores.units.matched_extracted == 2


def test_deadlines_compare_by_day_period_or_standing() -> None:
    task = dict(SECOND_TASK, deadlines=[{"due": "2022-06-30"}, {"recurrence": "yearly"}])
    undated = Deadline(kind="date", due=None, recurrence=None, text="6月底前", span=NO_SPAN)
    extracted = _measure("一/(二)", SECOND, deadlines=(undated, YEARLY, STANDING))
    scores = score(_document(extracted), _labels(task))
    assert (
        scores.deadlines.matched_labelled,
        scores.deadlines.labelled,
        scores.deadlines.extracted,
    ) == (
        1,
        2,
        3,
    )
    assert scores.deadlines.missed == ("一/(二): 2022-06-30",)
    assert scores.deadlines.spurious == ("一/(二): date without a day", "一/(二): standing")


def _target_scores(labelled: list[dict[str, str]], extracted: tuple[Target, ...]) -> Any:
    task = dict(FIRST_TASK, targets=labelled)
    return score(_document(_measure("一/(一)", FIRST, targets=extracted)), _labels(task)).targets


def test_targets_need_the_same_comparator_value_and_unit() -> None:
    label = [{"indicator": "规上工业企业", "comparator": ">=", "value": "6000", "unit": "家"}]
    assert (
        _target_scores(label, (_target("规上工业企业", ">", "6000", "家"),)).matched_labelled == 0
    )
    assert (
        _target_scores(label, (_target("规上工业企业", ">=", "600", "家"),)).matched_labelled == 0
    )
    assert (
        _target_scores(label, (_target("规上工业企业", ">=", "6000", "个"),)).matched_labelled == 0
    )
    assert (
        _target_scores(label, (_target("规上工业企业", ">=", "6E3", "家"),)).matched_labelled == 1
    )


def test_target_indicators_match_when_one_contains_the_other() -> None:
    label = [
        {"indicator": "全市规上工业企业数量", "comparator": ">=", "value": "6000", "unit": "家"}
    ]
    assert (
        _target_scores(label, (_target("规上 工业企业", ">=", "6000", "家"),)).matched_labelled == 1
    )
    assert (
        _target_scores(label, (_target("高新技术企业", ">=", "6000", "家"),)).matched_labelled == 0
    )
    assert _target_scores(label, (_target("", ">=", "6000", "家"),)).matched_labelled == 0


def test_targets_are_matched_one_to_one_and_as_many_as_possible() -> None:
    label = [
        {"indicator": "项目", "comparator": ">=", "value": "1", "unit": "个"},
        {"indicator": "百亿元以上项目", "comparator": ">=", "value": "1", "unit": "个"},
    ]
    # Taken in order, the broad first label would take the first extracted target, the only one
    # the second label fits: a maximum matching pairs both.
    extracted = (
        _target("百亿元以上项目", ">=", "1", "个"),
        _target("50亿元以上项目", ">=", "1", "个"),
    )
    both = _target_scores(label, extracted)
    assert (both.matched_labelled, both.precision, both.recall) == (2, 1.0, 1.0)
    once = _target_scores(label, extracted[:1])
    assert (once.matched_labelled, once.labelled, once.extracted) == (1, 2, 1)
    assert (once.precision, once.recall) == (1.0, 0.5)
    assert len(once.missed) == 1


def test_nothing_labelled_and_nothing_extracted_scores_one() -> None:
    task = dict(SECOND_TASK, targets=[])
    scores = score(_document(SECOND_RIGHT), _labels(task))
    assert (scores.targets.precision, scores.targets.recall) == (1.0, 1.0)
