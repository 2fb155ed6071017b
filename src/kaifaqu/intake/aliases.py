"""The default header-alias table: the variants of our headers that bureaus' files use (纳税总额,
税收合计 → 实缴税收), as the vocabulary declares them for each import kind's columns. The
database's alias table, which a bureau may extend, is seeded from it."""

from kaifaqu.intake.choices import ImportKind
from kaifaqu.intake.columns import SPECS, ZONE_YEARS_FIXED
from kaifaqu.spreadsheets.columns import Column

COLUMNS: dict[str, tuple[Column, ...]] = {
    **{spec.kind: spec.columns for spec in SPECS.values()},
    ImportKind.ZONE_YEARS: ZONE_YEARS_FIXED,
}


def default_aliases() -> list[tuple[str, str, str]]:
    """(import kind, column key, alias) rows of the shipped table."""
    return [
        (str(kind), column.key, alias)
        for kind, columns in COLUMNS.items()
        for column in columns
        for alias in column.aliases
    ]
