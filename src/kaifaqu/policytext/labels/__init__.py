"""Hand-made labels of the five seed policy documents: the extractor's golden data.

``NNN.json`` labels the seed whose file name starts with ``NNN``; README.md gives the conventions.
The seed texts are the repository's own copies, kept with the demo province that loads them
(``kaifaqu/demo/policies/``, byte for byte the team's ``shared/seeds``; see SOURCE.md there), so
the golden tests and the benchmark run on a clone with nothing beside it.
"""

import json
from pathlib import Path
from typing import Any

LABELS_DIR = Path(__file__).parent
SEEDS_DIR = Path(__file__).resolve().parents[2] / "demo" / "policies"
STEMS = ("000", "001", "002", "003", "004")
DEVELOPMENT = ("000", "002")
HELD_OUT = ("001", "003", "004")


def load_labels(stem: str) -> dict[str, Any]:
    """The labels of seed ``stem`` ("000" … "004") as written in its JSON file."""
    labels: dict[str, Any] = json.loads((LABELS_DIR / f"{stem}.json").read_text(encoding="utf-8"))
    return labels


def seed_text(labels: dict[str, Any]) -> str:
    """The original text of the seed the labels describe."""
    seed: str = labels["seed"]
    return (SEEDS_DIR / seed).read_text(encoding="utf-8")
