"""The extractor on the five labelled seed documents (``labels/``), scored by ``measure.score``.

000 and 002 were developed against and meet the issue's goal (units recall 1.0, deadlines ≥ 0.95,
targets ≥ 0.9; here every figure is 1.0). 001, 003 and 004 are held out; their misses have been
studied since (benchmarks/README.md says what was seen), so they are no longer blind, and each now
scores 1.0 on every figure. Each is held to the figures it reaches today: a change that lowers any
figure fails here.
"""

from datetime import date

import pytest

from kaifaqu.policytext import extract
from kaifaqu.policytext.labels import STEMS, load_labels, seed_text
from kaifaqu.policytext.measure import score

# stem → (units, deadlines, targets), each (precision, recall) as reached, rounded down.
REACHED = {
    "000": ((1.0, 1.0), (1.0, 1.0), (1.0, 1.0)),
    "002": ((1.0, 1.0), (1.0, 1.0), (1.0, 1.0)),
    "001": ((1.0, 1.0), (1.0, 1.0), (1.0, 1.0)),
    "003": ((1.0, 1.0), (1.0, 1.0), (1.0, 1.0)),
    "004": ((1.0, 1.0), (1.0, 1.0), (1.0, 1.0)),
}
ISSUED = {
    "000": date(2021, 2, 23),
    "001": None,
    "002": date(2022, 4, 2),
    "003": None,
    "004": date(2022, 12, 29),
}


@pytest.mark.parametrize("stem", STEMS)
def test_each_seed_scores_at_least_what_it_reached(stem: str) -> None:
    labels = load_labels(stem)
    document = extract(seed_text(labels))
    scores = score(document, labels)
    reached = [
        (field.precision, field.recall)
        for field in (scores.units, scores.deadlines, scores.targets)
    ]
    for (precision, recall), (least_precision, least_recall) in zip(
        reached, REACHED[stem], strict=True
    ):
        assert precision >= least_precision
        assert recall >= least_recall
    assert scores.units.recall == 1.0  # every responsibility block found with its units
    assert document.issued == ISSUED[stem]


def test_the_development_seeds_meet_the_goal_exactly() -> None:
    for stem in ("000", "002"):
        scores = score(extract(seed_text(load_labels(stem))), load_labels(stem))
        assert scores.unplaced == ()
        assert scores.units.missed == scores.units.spurious == ()
        assert scores.deadlines.missed == scores.deadlines.spurious == ()
        assert scores.targets.missed == scores.targets.spurious == ()
