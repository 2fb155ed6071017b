"""How well an extraction agrees with the hand-made labels: precision and recall per field.

A label task (see ``labels/README.md``) belongs to the extracted measure whose span contains its
anchor's first character — the innermost one when measures nest. Per measure, the labelled and the
extracted items are then compared:

- units as sets of (task, name, role) against (measure, name, role);
- deadlines as sets of (task, due date | recurrence | "standing") against the same per measure;
- targets one to one (a maximum matching) on equal comparator, value and unit and a loosely equal
  indicator: one contains the other, both non-empty.

Names, units and indicators are compared after NFKC and with white space removed, so a half- or
full-width bracket does not decide a match. A task whose anchor falls in no extracted measure
matches nothing. Precision is matched extracted items over all extracted items, recall matched
labelled items over all labelled items (labelled items count per task, so two blocks of one
measure naming the same unit are two labelled units, both found by one extracted unit); a field
with nothing to count scores 1.0.
"""

import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kaifaqu.policytext.model import Deadline, ExtractedDocument, Measure, Target

#: Where a label task landed: the index of its measure, or its own index among the tasks when it
#: landed in none (such keys never meet an extracted item).
Place = tuple[str, int]

Item = tuple[Any, ...]


@dataclass(frozen=True)
class FieldScore:
    """One field's agreement; ``missed`` and ``spurious`` describe the items that did not match.

    Labelled items are counted per task, extracted items per measure: two tasks of one measure
    naming the same unit are two labelled items that one extracted unit matches.
    """

    labelled: int
    extracted: int
    matched_labelled: int
    matched_extracted: int
    missed: tuple[str, ...]
    spurious: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.matched_extracted / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched_labelled / self.labelled if self.labelled else 1.0


@dataclass(frozen=True)
class Scores:
    units: FieldScore
    deadlines: FieldScore
    targets: FieldScore
    #: anchors of the label tasks that lie in no extracted measure
    unplaced: tuple[str, ...]


@dataclass(frozen=True)
class _LabelTarget:
    indicator: str
    comparator: str
    value: Decimal
    unit: str


def score(document: ExtractedDocument, labels: dict[str, Any]) -> Scores:
    """Compare ``document`` with the labels of its seed (the parsed ``NNN.json``)."""
    tasks: list[dict[str, Any]] = labels["tasks"]
    places = [_place(document, task["anchor"], i) for i, task in enumerate(tasks)]
    describe = _describer(document, tasks, places)
    measures = list(enumerate(document.measures))

    label_units: set[tuple[int, Place, str, str]] = {
        (i, place, _norm(name), role)
        for i, (task, place) in enumerate(zip(tasks, places, strict=True))
        for role in ("lead", "support")
        for name in task[role]
    }
    extracted_units: set[tuple[Place, str, str]] = {
        (("measure", m), _norm(unit.name), unit.role)
        for m, measure in measures
        for unit in measure.units
    }
    label_deadlines: set[tuple[int, Place, str]] = {
        (i, place, _label_deadline_key(deadline))
        for i, (task, place) in enumerate(zip(tasks, places, strict=True))
        for deadline in task["deadlines"]
    }
    extracted_deadlines: set[tuple[Place, str]] = {
        (("measure", m), _deadline_key(deadline))
        for m, measure in measures
        for deadline in measure.deadlines
    }
    return Scores(
        units=_compare_sets(
            label_units, extracted_units, lambda k: f"{describe(k[0])}: {k[1]} ({k[2]})"
        ),
        deadlines=_compare_sets(
            label_deadlines, extracted_deadlines, lambda k: f"{describe(k[0])}: {k[1]}"
        ),
        targets=_compare_targets(tasks, places, measures, describe),
        unplaced=tuple(
            task["anchor"] for task, place in zip(tasks, places, strict=True) if place[0] == "task"
        ),
    )


def _place(document: ExtractedDocument, anchor: str, task_index: int) -> Place:
    offset = document.text.find(anchor)
    if offset < 0:
        raise ValueError(f"label anchor {anchor!r} is not in the document's text")
    containing = [
        (measure.span.end - measure.span.start, -m)
        for m, measure in enumerate(document.measures)
        if measure.span.start <= offset < measure.span.end
    ]
    if not containing:
        return ("task", task_index)
    return ("measure", -min(containing)[1])


def _describer(
    document: ExtractedDocument, tasks: Sequence[dict[str, Any]], places: Sequence[Place]
) -> Callable[[Place], str]:
    anchors = {place: task["anchor"] for task, place in zip(tasks, places, strict=True)}

    def describe(place: Place) -> str:
        kind, index = place
        if kind == "measure":
            measure: Measure = document.measures[index]
            return measure.path or measure.heading or f"measure {index + 1}"
        return f"unplaced task «{anchors[place][:20]}»"

    return describe


def _norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _label_deadline_key(deadline: dict[str, Any]) -> str:
    if "due" in deadline:
        return date.fromisoformat(deadline["due"]).isoformat()
    if "recurrence" in deadline:
        recurrence: str = deadline["recurrence"]
        return recurrence
    return "standing"


def _deadline_key(deadline: Deadline) -> str:
    if deadline.kind == "date":
        return deadline.due.isoformat() if deadline.due else "date without a day"
    if deadline.kind == "recurring":
        return deadline.recurrence or "recurring without a period"
    return "standing"


def _compare_sets(
    labelled: set[Item], extracted: set[Item], describe: Callable[[Item], str]
) -> FieldScore:
    """``labelled`` items are (task index, *key), ``extracted`` items are keys."""
    found = {item[1:] for item in labelled}
    missed = [item[1:] for item in labelled if item[1:] not in extracted]
    return FieldScore(
        labelled=len(labelled),
        extracted=len(extracted),
        matched_labelled=len(labelled) - len(missed),
        matched_extracted=len(extracted & found),
        missed=tuple(sorted(describe(k) for k in missed)),
        spurious=tuple(sorted(describe(k) for k in extracted - found)),
    )


def _compare_targets(
    tasks: Sequence[dict[str, Any]],
    places: Sequence[Place],
    measures: Sequence[tuple[int, Measure]],
    describe: Callable[[Place], str],
) -> FieldScore:
    labelled: dict[Place, list[_LabelTarget]] = defaultdict(list)
    for task, place in zip(tasks, places, strict=True):
        labelled[place].extend(
            _LabelTarget(t["indicator"], t["comparator"], Decimal(t["value"]), t["unit"])
            for t in task["targets"]
        )
    extracted: dict[Place, list[Target]] = {
        ("measure", m): list(measure.targets) for m, measure in measures
    }
    matched = 0
    missed: list[str] = []
    spurious: list[str] = []
    for place in labelled.keys() | extracted.keys():
        wanted = labelled.get(place, [])
        found = extracted.get(place, [])
        pairs = _max_matching(wanted, found)
        matched += len(pairs)
        missed.extend(
            f"{describe(place)}: {_show(t)}" for i, t in enumerate(wanted) if i not in pairs
        )
        hit = set(pairs.values())
        spurious.extend(
            f"{describe(place)}: {_show(t)}" for j, t in enumerate(found) if j not in hit
        )
    return FieldScore(
        labelled=sum(len(v) for v in labelled.values()),
        extracted=sum(len(v) for v in extracted.values()),
        matched_labelled=matched,
        matched_extracted=matched,
        missed=tuple(sorted(missed)),
        spurious=tuple(sorted(spurious)),
    )


def _target_matches(label: _LabelTarget, target: Target) -> bool:
    wanted, found = _norm(label.indicator), _norm(target.indicator)
    return (
        label.comparator == target.comparator
        and label.value == target.value
        and _norm(label.unit) == _norm(target.unit)
        and bool(wanted)
        and bool(found)
        and (wanted in found or found in wanted)
    )


def _max_matching(wanted: Sequence[_LabelTarget], found: Sequence[Target]) -> dict[int, int]:
    """A maximum one-to-one matching (augmenting paths): label index → extracted index."""
    edges = [[j for j, t in enumerate(found) if _target_matches(w, t)] for w in wanted]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(wanted)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def _show(target: _LabelTarget | Target) -> str:
    return f"{target.indicator} {target.comparator} {target.value}{target.unit}"
