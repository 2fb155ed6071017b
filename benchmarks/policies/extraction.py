"""The policy-text extractor against the hand-made labels of the five seed documents.

    .venv/bin/python benchmarks/policies/extraction.py [--runs 5] [--verbose]

Each seed (the repository's copies in ``src/kaifaqu/demo/policies/``) is extracted with
``kaifaqu.policytext.extract(text)`` (no date of issue given: the extractor finds it) and scored
with ``kaifaqu.policytext.measure.score`` against ``src/kaifaqu/policytext/labels/NNN.json``.
Printed per document: precision and recall of units, deadlines and targets, the date of issue found
beside the labelled one; 000 and 002 are the development documents, 001, 003 and 004 held out, and
each group's pooled figures follow (matched items summed over its documents). Timing: the five
extractions in a row, once cold (the first in the process) and the median of ``--runs`` further
runs. ``--verbose`` lists every missed and every spurious item. Goal (issue 29): units recall 1.0,
deadlines ≥ 0.95, targets ≥ 0.9 on every document; all five in under 1 s."""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from kaifaqu.policytext import extract
from kaifaqu.policytext.labels import DEVELOPMENT, STEMS, load_labels, seed_text
from kaifaqu.policytext.measure import FieldScore, Scores, score
from kaifaqu.policytext.model import ExtractedDocument

FIELDS = ("units", "deadlines", "targets")


def extract_all(texts: dict[str, str]) -> tuple[dict[str, ExtractedDocument], float]:
    start = time.perf_counter()
    documents = {stem: extract(text) for stem, text in texts.items()}
    return documents, time.perf_counter() - start


def pooled(scores: list[Scores], field: str) -> FieldScore:
    parts: list[FieldScore] = [getattr(s, field) for s in scores]
    return FieldScore(
        labelled=sum(p.labelled for p in parts),
        extracted=sum(p.extracted for p in parts),
        matched_labelled=sum(p.matched_labelled for p in parts),
        matched_extracted=sum(p.matched_extracted for p in parts),
        missed=(),
        spurious=(),
    )


def cells(fields: list[FieldScore]) -> str:
    return "  ".join(
        f"{f.precision:4.2f} {f.recall:4.2f} "
        f"({f.matched_extracted}/{f.extracted} {f.matched_labelled}/{f.labelled})".ljust(28)
        for f in fields
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs timed (default 5)")
    parser.add_argument("--verbose", action="store_true", help="list missed and spurious items")
    args = parser.parse_args()

    labels = {stem: load_labels(stem) for stem in STEMS}
    texts = {stem: seed_text(labels[stem]) for stem in STEMS}
    documents, cold = extract_all(texts)
    warm = [extract_all(texts)[1] for _ in range(args.runs)]
    scores = {stem: score(documents[stem], labels[stem]) for stem in STEMS}

    print("per field: precision recall (matched/extracted matched/labelled)")
    print(f"{'doc':<4} {'set':<12} {'units':<28}  {'deadlines':<28}  {'targets':<28}  issued")
    for stem in STEMS:
        group = "development" if stem in DEVELOPMENT else "held-out"
        s = scores[stem]
        found = documents[stem].issued
        issued = f"{found.isoformat() if found else '—'} (label {labels[stem]['issued'] or '—'})"
        print(f"{stem:<4} {group:<12} {cells([getattr(s, f) for f in FIELDS])}  {issued}")
    for group, stems in (
        ("development", DEVELOPMENT),
        ("held-out", tuple(s for s in STEMS if s not in DEVELOPMENT)),
    ):
        group_scores = [scores[stem] for stem in stems]
        print(f"{'all':<4} {group:<12} {cells([pooled(group_scores, f) for f in FIELDS])}")
    median = statistics.median(warm) if warm else cold
    print(f"extraction of all five seeds: {cold:.3f} s cold, {median:.3f} s median of {len(warm)}")

    if args.verbose:
        for stem in STEMS:
            s = scores[stem]
            for anchor in s.unplaced:
                print(f"{stem} task in no measure: {anchor}")
            for field in FIELDS:
                part: FieldScore = getattr(s, field)
                for item in part.missed:
                    print(f"{stem} {field} missed: {item}")
                for item in part.spurious:
                    print(f"{stem} {field} spurious: {item}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
