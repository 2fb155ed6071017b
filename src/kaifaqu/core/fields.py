"""Model fields the framework does not have."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class JSONTextField(models.TextField[Any, Any]):
    """JSON stored as text, for machine-written columns that are read whole and never queried
    inside (an evaluation result's indicator values, for instance).

    PostgreSQL's jsonb parses every number into a ``numeric`` on the way in: a million results
    with four jsonb columns took two to three times as long to COPY as with text ones.
    """

    # What django-stubs' plugin reads as the types set and read: any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
