from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from kaifaqu.core.policy import access_policy

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


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], action: str, obj: Any = None) -> bool:
    """``{% can "mujun.start_publicity" run as allowed %}``: whether the signed-in user may take
    the action, by the same rule the action enforces, so a page offers only what it would do."""
    return access_policy().can(context["request"].user, action, obj)
