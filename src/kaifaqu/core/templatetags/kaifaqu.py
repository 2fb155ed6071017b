from decimal import Decimal

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
MISSING = '<span class="missing">缺失</span>'


@register.filter
def amount(value: Decimal | float | int | None, digits: int = 2) -> str | SafeString:
    """A figure with thousands separators and fixed decimals; missing shows as 缺失, never 0."""
    if value is None:
        return mark_safe(MISSING)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"
