"""The number filters every template uses (``core/numbers.py`` says how each reads); a missing
figure shows as 缺失, never as 0."""

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from kaifaqu.core.numbers import (
    format_count,
    format_money,
    format_percent,
    format_ratio,
    money,
)
from kaifaqu.core.policy import access_policy
from kaifaqu.vocabulary import described_values, field_header

register = template.Library()
MISSING = '<span class="missing">缺失</span>'

Value = Decimal | float | int | str | None
Shown = str | SafeString


def _number(value: Value) -> Decimal | float | int | None:
    """The figure, or None when there is none (blank, not a number, NaN)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.replace(",", ""))
        except ArithmeticError:
            return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Decimal) and not value.is_finite():
        return None
    return value


def _shown(value: Value, form: Callable[[Decimal | float | int], str]) -> Shown:
    number = _number(value)
    return mark_safe(MISSING) if number is None else form(number)


@register.filter
def count(value: Value) -> Shown:
    """How many: 19,205 (家, 条, 个 follow in the template)."""
    return _shown(value, format_count)


@register.filter(name="money")
def money_filter(value: Value, digits: int = 2) -> Shown:
    """An amount stored in 万元, with the unit its size calls for: 795.02 亿元, 1,234.50 万元."""
    return _shown(value, lambda number: format_money(number, digits))


@register.filter
def money_number(value: Value, digits: int = 2) -> Shown:
    """The number of ``money`` alone, for a layout that sets the unit apart (``money_unit``)."""
    return _shown(value, lambda number: money(number, digits).number)


@register.filter
def money_unit(value: Value) -> str:
    number = _number(value)
    return "" if number is None else money(number).unit


@register.filter
def ratio(value: Value, digits: int = 2) -> Shown:
    """A ratio, score or measured figure with fixed decimals: 0.88, 1,234.50."""
    return _shown(value, lambda number: format_ratio(number, digits))


@register.filter
def percent(value: Value, digits: int = 1) -> Shown:
    """A share as a percentage: 0.123 → 12.3%."""
    return _shown(value, lambda number: format_percent(number, digits))


@register.filter
def amount(value: Value, digits: int = 2) -> Shown:
    """A figure of a column whose unit the header names: a count stays whole, others fixed."""
    number = _number(value)
    if number is None:
        return mark_safe(MISSING)
    return format_count(number) if isinstance(number, int) else format_ratio(number, digits)


@register.filter
def field_label(key: str) -> str:
    """A field by its Chinese label and unit: 用地面积(亩), not land_area_mu."""
    return field_header(key)


@register.filter
def field_values(values: dict[str, object] | None) -> str:
    """Field values as text: 用地面积(亩) 45, not {'land_area_mu': 45.0}."""
    return described_values(values or {})


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], action: str, obj: Any = None) -> bool:
    """``{% can "mujun.start_publicity" run as allowed %}``: whether the signed-in user may take
    the action, by the same rule the action enforces, so a page offers only what it would do."""
    return access_policy().can(context["request"].user, action, obj)
