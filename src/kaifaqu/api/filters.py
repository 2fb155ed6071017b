"""``?ordering=``: one field the view allows, ascending or with ``-`` descending.

One field, because the keyset cursor holds that field's value; the fields a view allows are unique
or nearly unique and never null, so every page boundary is a value.
"""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.request import Request


class OrderingFilter(filters.OrderingFilter):
    ordering_description = "排序字段;字段名前加 - 表示倒序"

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        ordering = super().get_ordering(request, queryset, view)
        return ordering[:1] if ordering else ordering

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        fields = list(getattr(view, "ordering_fields", None) or ())
        parameters[0]["schema"] = {"type": "string", "enum": [*fields, *(f"-{f}" for f in fields)]}
        return parameters


class IdFilter(django_filters.NumberFilter):
    """An object's id as a query parameter: an integer the database can hold, else a 400.

    Django bounds plain integer lookups, not those through a foreign key, which would pass a
    number too large for the database's integer to the driver.
    """

    field_class = forms.IntegerField  # type: ignore[assignment]  # a narrower number field

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
