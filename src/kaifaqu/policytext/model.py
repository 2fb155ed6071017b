"""The extraction's data model: what a policy document's measures say, each field with its span.

Every ``Span`` counts characters of the ORIGINAL text (before Traditional→Simplified conversion
and NFKC), end exclusive, so a reviewer can highlight exactly the characters a field came from.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

Role = Literal["lead", "support"]
DeadlineKind = Literal["date", "recurring", "standing"]
Recurrence = Literal["yearly", "quarterly", "monthly", "periodic"]
Comparator = Literal[">=", ">", "<=", "<", "="]


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class UnitRef:
    name: str
    role: Role
    span: Span


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: date | None
    recurrence: Recurrence | None
    text: str
    span: Span


@dataclass(frozen=True)
class Target:
    indicator: str
    comparator: Comparator
    value: Decimal
    unit: str
    text: str
    span: Span


@dataclass(frozen=True)
class Measure:
    path: str
    heading: str
    span: Span
    units: tuple[UnitRef, ...]
    deadlines: tuple[Deadline, ...]
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class ExtractedDocument:
    title: str
    doc_number: str
    issuer: str
    issued: date | None
    measures: tuple[Measure, ...]
    text: str
