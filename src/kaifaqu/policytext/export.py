"""The proposed task table as rows for a spreadsheet and as JSON, from an ``ExtractedDocument``."""

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from .model import Deadline, ExtractedDocument, Measure, Target

HEADERS = ("措施编号", "措施", "牵头单位", "配合单位", "时限", "目标", "原文位置")
RECURRENCES = {"yearly": "每年", "quarterly": "每季度", "monthly": "每月", "periodic": "定期"}
COMPARATORS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def is_task(measure: Measure) -> bool:
    """A measure worth a row: it names units, or sets a target or a dated or recurring deadline."""
    return bool(
        measure.units
        or measure.targets
        or any(deadline.kind != "standing" for deadline in measure.deadlines)
    )


def deadline_text(deadline: Deadline) -> str:
    if deadline.due is not None:
        return f"{deadline.due.year}年{deadline.due.month}月{deadline.due.day}日前"
    if deadline.recurrence is not None:
        return RECURRENCES[deadline.recurrence]
    return "长期"


def target_text(target: Target) -> str:
    return f"{target.indicator}{COMPARATORS[target.comparator]}{target.value}{target.unit}"


def rows(document: ExtractedDocument) -> Iterator[tuple[str, ...]]:
    for measure in filter(is_task, document.measures):
        yield (
            measure.path,
            measure.heading,
            "、".join(unit.name for unit in measure.units if unit.role == "lead"),
            "、".join(unit.name for unit in measure.units if unit.role == "support"),
            ";".join(deadline_text(deadline) for deadline in measure.deadlines),
            ";".join(target_text(target) for target in measure.targets),
            f"第{measure.span.start + 1}–{measure.span.end}字",
        )


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items() if key != "text" or item}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def as_json(document: ExtractedDocument) -> dict[str, Any]:
    """Every field of every task-bearing measure, spans as [start, end] of the original text."""
    measures = [_plain(asdict(measure)) for measure in filter(is_task, document.measures)]
    return {
        "title": document.title,
        "doc_number": document.doc_number,
        "issuer": document.issuer,
        "issued": document.issued.isoformat() if document.issued else None,
        "measures": measures,
    }
