"""The audit console's filters: a change-log row in the words of ``audit/readable.py``."""

from typing import Any

from django import template

from kaifaqu.audit import readable
from kaifaqu.audit.models import ObjectChange

register = template.Library()


@register.filter
def model_label(change: ObjectChange) -> str:
    return readable.model_label(change)


@register.filter
def channel_label(channel: str) -> str:
    return readable.CHANNEL_LABELS.get(channel, channel)


@register.filter
def role_label(code: str, names: dict[str, str]) -> str:
    """``{{ change.role|role_label:role_names }}``: 省级分析员, not province_analyst."""
    return names.get(code, code)


@register.filter
def before_text(change: ObjectChange) -> str:
    return readable.snapshot_text(change, change.before)


@register.filter
def after_text(change: ObjectChange) -> str:
    return readable.snapshot_text(change, change.after)


@register.simple_tag
def role_names() -> dict[str, Any]:
    return readable.role_names()
