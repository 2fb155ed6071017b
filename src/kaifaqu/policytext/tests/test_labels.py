"""The hand-made labels are well formed: each anchor is in its seed once, every field parses."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from kaifaqu.policytext.labels import LABELS_DIR, STEMS, load_labels, seed_text

COMPARATORS = {">=", ">", "<=", "<", "="}
RECURRENCES = {"yearly", "quarterly", "monthly", "periodic"}
TASK_KEYS = {"anchor", "lead", "support", "deadlines", "targets"}


def _tasks(stem: str) -> list[dict[str, Any]]:
    tasks: list[dict[str, Any]] = load_labels(stem)["tasks"]
    return tasks


def test_one_label_file_per_seed() -> None:
    assert sorted(p.stem for p in LABELS_DIR.glob("*.json")) == list(STEMS)
    for stem in STEMS:
        labels = load_labels(stem)
        assert set(labels) == {"seed", "issued", "tasks"}
        assert labels["seed"][:3] == stem
        assert labels["tasks"]


@pytest.mark.parametrize("stem", STEMS)
def test_issue_date_parses_or_is_null(stem: str) -> None:
    issued = load_labels(stem)["issued"]
    assert issued is None or date.fromisoformat(issued).isoformat() == issued


@pytest.mark.parametrize("stem", STEMS)
def test_anchors_are_unique_substrings_in_document_order(stem: str) -> None:
    labels = load_labels(stem)
    text = seed_text(labels)
    offsets = []
    for task in labels["tasks"]:
        anchor = task["anchor"]
        assert len(anchor) >= 8, anchor
        assert text.count(anchor) == 1, anchor
        offsets.append(text.index(anchor))
    assert offsets == sorted(offsets)


@pytest.mark.parametrize("stem", STEMS)
def test_units_are_named_once_with_one_role(stem: str) -> None:
    for task in _tasks(stem):
        assert set(task) == TASK_KEYS
        names = task["lead"] + task["support"]
        assert all(isinstance(n, str) and n.strip() == n and n for n in names), names
        assert len(names) == len(set(names)), names
        assert not task["support"] or task["lead"], task["anchor"]


@pytest.mark.parametrize("stem", STEMS)
def test_deadlines_are_dates_recurrences_or_standing(stem: str) -> None:
    for task in _tasks(stem):
        deadlines = task["deadlines"]
        assert deadlines, task["anchor"]
        for deadline in deadlines:
            assert len(deadline) == 1, deadline
            if "due" in deadline:
                assert date.fromisoformat(deadline["due"]).isoformat() == deadline["due"]
            elif "recurrence" in deadline:
                assert deadline["recurrence"] in RECURRENCES
            else:
                assert deadline == {"standing": True}
        if {"standing": True} in deadlines:
            assert deadlines == [{"standing": True}], task["anchor"]


@pytest.mark.parametrize("stem", STEMS)
def test_targets_have_a_valid_comparator_and_a_decimal_value(stem: str) -> None:
    for task in _tasks(stem):
        for target in task["targets"]:
            assert set(target) == {"indicator", "comparator", "value", "unit"}
            assert target["indicator"].strip()
            assert target["comparator"] in COMPARATORS
            assert Decimal(target["value"]).is_finite()
            assert isinstance(target["unit"], str)


@pytest.mark.parametrize("stem", STEMS)
def test_every_task_assigns_dates_or_quantifies_something(stem: str) -> None:
    for task in _tasks(stem):
        dated = any("standing" not in d for d in task["deadlines"])
        assert task["lead"] or dated or task["targets"], task["anchor"]
