"""The default header-alias table (data/header_aliases.csv): the variants of our headers that
bureaus' files use (纳税总额, 税收合计 → 实缴税收). The database's alias table is seeded from this
file, and the offline ``kaifaqu mujun evaluate`` reads it directly; no Django here."""

import csv
from pathlib import Path

ALIAS_FILE = Path(__file__).parent / "data" / "header_aliases.csv"


def default_aliases() -> list[tuple[str, str, str]]:
    """(import kind, column key, alias) rows of the shipped table."""
    with ALIAS_FILE.open(encoding="utf-8", newline="") as handle:
        return [(row["kind"], row["column"], row["alias"]) for row in csv.DictReader(handle)]


def aliases_for(kind: str) -> dict[str, str]:
    """alias → column key for one import kind."""
    return {alias: column for row_kind, column, alias in default_aliases() if row_kind == kind}
