"""Keyset pagination for API lists: an opaque ``cursor`` per page, so page 5,000 costs page 1.

DRF's cursor pagination, ordered by primary key unless ``?ordering=`` names another field a view
allows (only unique or nearly unique, never-null fields: the cursor holds that field's value).
``?limit=`` sets the page size up to a maximum. The response carries the exact ``count`` of the
scoped, filtered list (DESIGN.md: exact counts for scoped or filtered lists).
"""

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Field, Model, QuerySet
from rest_framework import exceptions
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response

from kaifaqu.api import error_codes
from kaifaqu.api.conf import API_MAX_PAGE_SIZE, API_PAGE_SIZE


class KeysetPagination(CursorPagination):
    ordering = ("pk",)
    page_size = API_PAGE_SIZE
    page_size_query_param = "limit"
    page_size_query_description = f"每页条数(默认 {API_PAGE_SIZE},最多 {API_MAX_PAGE_SIZE})"
    max_page_size = API_MAX_PAGE_SIZE
    cursor_query_description = "分页游标:取自上一次响应的 next 或 previous 链接"
    invalid_cursor_message = "分页游标无效"

    def paginate_queryset(
        self, queryset: QuerySet[Any] | Sequence[Any], request: Request, view: Any = None
    ) -> list[Any] | None:
        if not isinstance(queryset, QuerySet):
            raise TypeError("keyset pagination needs a queryset")
        self.model: type[Model] = queryset.model
        self.count = queryset.count()
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except exceptions.NotFound:
            cursor = None
            valid = False
        else:
            valid = cursor is None or self._valid_position(cursor.position)
        if not valid:
            detail = exceptions.ErrorDetail(self.invalid_cursor_message, error_codes.INVALID_CURSOR)
            raise exceptions.ValidationError({self.cursor_query_param: [detail]})
        return cursor

    def _valid_position(self, position: object) -> bool:
        """A hand-made cursor must not reach the database with a value its field cannot hold."""
        if position is None:
            return True
        name = self.ordering[0].lstrip("-")
        try:
            field = self.model._meta.pk if name == "pk" else self.model._meta.get_field(name)
            if not isinstance(field, Field):
                return False
            field.to_python(position)
        except (FieldDoesNotExist, ValidationError):
            return False
        return "\x00" not in str(position)

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated: dict[str, Any] = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": {"type": "integer", "description": "符合条件的对象总数"},
            **paginated["properties"],
        }
        paginated["required"] = ["count", "next", "previous", "results"]
        return paginated
