from datetime import date
from typing import Any

from django import template

from kaifaqu.mujun.actions import default_window
from kaifaqu.mujun.models import EvaluationRun

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def publicity_window(run: EvaluationRun) -> tuple[date, date]:
    """``{% publicity_window run as window %}``: the dates a 公示 form proposes."""
    return default_window(run)
