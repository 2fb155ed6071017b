"""How a number reads on a page or a chart: counts, money, ratios and percentages.

One place, so "204 家", "19,205" and "795.02 亿元" read the same everywhere. Money is stored in 万元
(the vocabulary's unit); a page shows it in 亿元 once it reaches one 亿元, with the unit it chose.
Exports keep 万元 and numeric cells: a column has one unit, named in its header.

>>> format_count(19205), format_count(Decimal("204.00"))
('19,205', '204')
>>> format_money(Decimal("7950162.92")), format_money(Decimal("1234.5"))
('795.02 亿元', '1,234.50 万元')
>>> format_ratio(0.87654), format_percent(0.1234)
('0.88', '12.3%')
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

Number = Decimal | float | int

# The money units a page chooses between, largest first, as multiples of the stored 万元.
MONEY_SCALES = (("亿元", Decimal(10000)), ("万元", Decimal(1)))


class Money(NamedTuple):
    """An amount in the unit chosen for it: ``number`` (formatted) and ``unit``."""

    number: str
    unit: str

    def __str__(self) -> str:
        return f"{self.number} {self.unit}"


def _decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _fixed(value: Decimal, digits: int) -> str:
    """Thousands separators and exactly ``digits`` decimals, rounded half up as people do."""
    quantum = Decimal(1).scaleb(-digits)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{digits}f}"
    return "0" + text[2:] if text.startswith("-0") and rounded == 0 else text


def format_count(value: Number) -> str:
    """A count as an integer with thousands separators: 19,205 (never 204.00)."""
    return _fixed(_decimal(value), 0)


def money_unit(values: Iterable[Number | None]) -> tuple[str, Decimal]:
    """The unit for figures in 万元 read together (a chart's axis, a table's column): 亿元 once
    the largest reaches one 亿元; and the divisor from 万元."""
    largest = max((abs(_decimal(v)) for v in values if v is not None), default=Decimal(0))
    for unit, scale in MONEY_SCALES:
        if largest >= scale:
            return unit, scale
    return MONEY_SCALES[-1]


def money(value: Number, digits: int = 2) -> Money:
    """An amount in 万元 in the unit its size calls for."""
    unit, scale = money_unit([value])
    return Money(_fixed(_decimal(value) / scale, digits), unit)


def format_money(value: Number, digits: int = 2) -> str:
    return str(money(value, digits))


def format_ratio(value: Number, digits: int = 2) -> str:
    """A ratio, score or other measured figure: fixed decimals with thousands separators."""
    return _fixed(_decimal(value), digits)


def format_percent(value: Number, digits: int = 1) -> str:
    """A share (0.123) as a percentage: 12.3%."""
    return _fixed(_decimal(value) * 100, digits) + "%"
