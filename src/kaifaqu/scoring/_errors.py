"""One exception hierarchy: every refusal of the engine is a ``ScoringError``."""

from __future__ import annotations


class ScoringError(Exception):
    """Base of every error the engine raises on purpose."""


class FrameworkError(ScoringError):
    """The framework or pipeline definition is wrong; names the row and column (or key) at fault.

    >>> str(FrameworkError("unknown parent 'X'", source="meta.csv", row=4, column="Parent"))
    "meta.csv row 4, column Parent: unknown parent 'X'"
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = message
        self.source = source
        self.row = row
        self.column = column
        super().__init__(_located(message, source, row, column))


class DataError(ScoringError):
    """The data cannot be scored as asked; names the indicator and the unit at fault.

    >>> str(DataError("zero denominator 'Area'", indicator="Bord", unit="SGP"))
    "indicator Bord, unit SGP: zero denominator 'Area'"
    """

    def __init__(
        self, message: str, *, indicator: str | None = None, unit: str | None = None
    ) -> None:
        self.reason = message
        self.indicator = indicator
        self.unit = unit
        where = [f"indicator {indicator}"] if indicator is not None else []
        where += [f"unit {unit}"] if unit is not None else []
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


def _located(message: str, source: str | None, row: int | None, column: str | None) -> str:
    place = source or ""
    if row is not None:
        place = f"{place} row {row}".strip()
    if column is not None:
        place = f"{place}, column {column}" if place else f"column {column}"
    return f"{place}: {message}" if place else message
