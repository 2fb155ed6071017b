"""Filters of the 亩均 pages: a scheme's codes (pools, indicators, methods) by their names."""

from datetime import date
from typing import Any

from django import template

from kaifaqu.mujun.actions import default_window
from kaifaqu.mujun.models import EvaluationRun
from kaifaqu.mujun.scheme import BENCHMARK_METHOD_LABELS, ROUNDING_LABELS
from kaifaqu.mujun.scheme import Scheme as SchemeDocument

register = template.Library()
TERMS = {"benchmark": BENCHMARK_METHOD_LABELS, "rounding": ROUNDING_LABELS}


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def publicity_window(run: EvaluationRun) -> tuple[date, date]:
    """``{% publicity_window run as window %}``: the dates a 公示 form proposes."""
    return default_window(run)


def _document(source: EvaluationRun | SchemeDocument) -> SchemeDocument:
    return source.parsed_document if isinstance(source, EvaluationRun) else source


@register.filter
def pool_name(code: str, source: EvaluationRun | SchemeDocument) -> str:
    """``{{ result.pool|pool_name:run }}``: 规上工业企业, not above."""
    return _document(source).pool_name(code) if code else ""


@register.filter
def indicator_name(code: str, source: EvaluationRun | SchemeDocument) -> str:
    """``{{ code|indicator_name:run }}``: 亩均税收, not tax_per_mu."""
    return _document(source).indicator_name(code)


@register.filter
def scheme_term(code: str, kind: str) -> str:
    """``{{ grading.rounding|scheme_term:"rounding" }}``: 四舍五入, not half_up."""
    return TERMS[kind].get(code, code)
