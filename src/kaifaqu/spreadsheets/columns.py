"""What a spreadsheet's columns hold: the key each maps to, its Chinese header, unit and type.

One declaration of a file's columns serves its template, the header matching, the validation and
the export. The intake's import kinds and the offline 亩均 evaluation declare theirs with these.
"""

from dataclasses import KW_ONLY, dataclass, field
from decimal import Decimal
from typing import Any

from kaifaqu.vocabulary import Term

# Units a money column may declare in its header, as multiples of 万元.
MONEY_UNITS = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}
# What a column is for (``Column.use``).
FIELD, REFERENCE, IGNORED = "field", "reference", "ignored"


@dataclass(frozen=True)
class Column:
    key: str  # the model field (or the reference it resolves to)
    name: str  # the Chinese header, without unit
    type: str  # text, code, uscc, decimal, integer, year, date, bool, choice, ref, list
    unit: str = ""  # shown in the header: 营业收入(万元)
    _: KW_ONLY  # the rest by name: a bound passed by position once landed in ``required``
    required: bool = False
    money: bool = False  # unit read from the header (元/万元/亿元) and converted to 万元
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label written in the file)
    note: str = ""  # one line for the instructions sheet
    aliases: tuple[str, ...] = ()  # other headers files give it (the default alias table)
    # What the column is for. Bureaus' files carry columns for their human reader beside the
    # data, and a clerk should not have to delete them before importing:
    # FIELD is stored on the row; REFERENCE (对照列) is read and checked against the registry,
    # never stored (a name that differs from the USCC's enterprise is how a mistyped USCC that
    # hits another enterprise shows); IGNORED is recognised and skipped (序号, 备注).
    use: str = FIELD

    @property
    def header(self) -> str:
        return f"{self.name}({self.unit})" if self.unit else self.name


@dataclass(frozen=True)
class KindSpec:
    kind: str  # what the file holds, such as an import kind
    sheet: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key, by column key
    notes: tuple[str, ...] = field(default=())

    @property
    def written(self) -> tuple[Column, ...]:
        """The columns templates and exports write: all but the ignored ones."""
        return tuple(column for column in self.columns if column.use != IGNORED)


ZERO = Decimal(0)


def column(key: str, term: Term, type: str, **options: Any) -> Column:
    """The column ``key`` under the vocabulary's ``term``: its name, unit and aliases."""
    return Column(key, term.label, type, term.unit, aliases=term.aliases, **options)


def money_column(key: str, term: Term, *, signed: bool = False) -> Column:
    return column(key, term, "decimal", money=True, minimum=None if signed else ZERO)


def quantity_column(key: str, term: Term) -> Column:
    return column(key, term, "decimal", minimum=ZERO)
