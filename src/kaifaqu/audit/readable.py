"""The change log as the audit administrator reads it: roles, object types, channels and the
fields of a snapshot by their Chinese names, values by their labels.

The log itself keeps the codes (a role code, a model, field names): they are what a query or a
later migration needs. Only what the console and its export show goes through here.
"""

from typing import Any, NamedTuple

from django.apps import apps
from django.db import models

from kaifaqu.audit.models import ObjectChange
from kaifaqu.vocabulary import described_values, field_term

# How a write reached the platform (``WriteContext.channel``).
CHANNEL_LABELS = {
    "web": "网页",
    "admin": "系统管理后台",
    "api": "接口",
    "import": "数据导入",
    "cli": "命令行",
    "job": "后台任务",
    "shell": "服务器维护",
}


def role_names() -> dict[str, str]:
    """Role code → name, for every role (business and administrator); read once per page."""
    role = apps.get_model("access", "Role")
    return dict(role.objects.values_list("code", "name"))


def model_label(change: ObjectChange) -> str:
    model = _model(change)
    return str(model._meta.verbose_name) if model else change.content_type.model


def snapshot_text(change: ObjectChange, snapshot: dict[str, Any] | None) -> str:
    """A snapshot as 字段: 值 lines, each field by its verbose name and a choice by its label;
    structured values (lists, mappings) and documents by their size: their whole text is in the
    stored log."""
    if not snapshot:
        return ""
    fields = _fields(_model(change))
    return ";".join(
        f"{_name(fields.get(key), key)}:{_text(fields.get(key), key, value)}"
        for key, value in snapshot.items()
    )


class Difference(NamedTuple):
    field: str
    before: str
    after: str


def differences(change: ObjectChange) -> list[Difference]:
    """What a change wrote, field by field in words: for an update the fields whose value
    differs; for a creation every field it set to a value (nothing before), for a deletion every
    field the object had a value in (nothing after)."""
    before, after = change.before or {}, change.after or {}
    fields = _fields(_model(change))
    if not before or not after:  # a creation or a deletion: its empty fields say nothing
        before = {key: value for key, value in before.items() if value not in (None, "")}
        after = {key: value for key, value in after.items() if value not in (None, "")}
    return [
        Difference(
            _name(fields.get(key), key),
            _text(fields.get(key), key, before[key]) if key in before else "",
            _text(fields.get(key), key, after[key]) if key in after else "",
        )
        for key in {**before, **after}
        if key not in before or key not in after or before[key] != after[key]
    ]


def _model(change: ObjectChange) -> type[models.Model] | None:
    return change.content_type.model_class() if change.content_type_id else None


def _fields(model: type[models.Model] | None) -> dict[str, Any]:
    if model is None:
        return {}
    found: dict[str, Any] = {}
    for field in model._meta.get_fields():
        found[field.name] = field
        if attname := getattr(field, "attname", None):
            found[attname] = field
    return found


def _name(field: Any, key: str) -> str:
    return str(getattr(field, "verbose_name", "") or "") or _unnamed(key)


def _text(field: Any, key: str, value: Any) -> str:
    if key in REGION_CODE_FIELDS and value:
        return region_name(value)
    return _value(field, value)


REGION_CODE_FIELDS = ("province_code", "region_code")


def region_name(code: str) -> str:
    region = apps.get_model("catalog", "Region")
    return region.objects.filter(code=code).values_list("name", flat=True).first() or code


def _unnamed(key: str) -> str:
    """A key the model no longer has (or an extra one such as row_count)."""
    return {"row_count": "行数", "id": "编号", "pk": "编号"}.get(key, "其他字段")


def _value(field: Any, value: Any) -> str:
    if value is None or value == "":
        return "(空)"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and value and all(field_term(key) for key in value):
        return described_values(value)
    if isinstance(value, dict | list):
        return f"({len(value)} 项)"
    if isinstance(value, str) and "\n" in value:  # a document (a scheme's TOML): its size
        return f"(文本 {value.count(chr(10)) + 1} 行)"
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))
