"""Keyset pagination with numbered pages: page 5,000 costs what page 1 costs.

A list is ordered by one sort field and then the primary key, ``(value, pk)``, so every row has a
unique position. A page is addressed by the position of a row next to it, not by an offset:

- ``?page=7&after=CURSOR`` — the rows after that position, in list order;
- ``?page=5&before=CURSOR`` — the rows before it (read in reverse, then turned round);
- ``&skip=N`` — skip N rows from the cursor first: the numbered links around the current page
  (a window of ``WINDOW`` pages each side) point a page or two beyond the current one, and an
  offset of at most ``WINDOW`` pages from a cursor stays cheap;
- ``?last=1`` — the last page, read in reverse from the end of the list.

``page`` is only the number shown; the cursor says which rows. A cursor is the sort value and the
pk of a row, URL-safe base64 of JSON (only the pk when the list is in pk order). NULL sort values
come after every other value (before them when the list is sorted descending).

Totals: an exact ``count()`` whenever the list is narrowed (by scope, a filter, or a parent);
for a whole table the user sees entirely, the planner's row estimate on PostgreSQL once the table
holds at least ``KAIFAQU_LIST_ESTIMATE_ABOVE`` rows (the count of a large table reads all of it).
"""

import base64
import binascii
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import F, Field, Model, OrderBy, Q, QuerySet
from django.http import QueryDict

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50
WINDOW = 2  # numbered links each side of the current page
PAGING_PARAMS = ("page", "after", "before", "skip", "last")
SORT_VALUE = "keyset_value"  # the annotation holding a row's sort value


@dataclass(frozen=True)
class Ordering:
    """A list's order: ``path`` (a model field path, None for the pk) ascending or descending,
    then the pk the same way."""

    path: str | None = None
    descending: bool = False
    field: Field[Any, Any] | None = None  # the field at the end of ``path``
    nullable: bool = False
    pk_field: Field[Any, Any] | None = None  # reads a cursor's pk (an integer when None)

    @classmethod
    def by(cls, model: type[Model], path: str | None, descending: bool = False) -> "Ordering":
        pk_field = model._meta.pk
        if path is None:
            return cls(None, descending, pk_field=pk_field)
        field, nullable = resolve_field(model, path)
        return cls(path, descending, field, nullable, pk_field)

    def expressions(self, reverse: bool = False) -> list[OrderBy]:
        descending = self.descending != reverse
        pk = F("pk").desc() if descending else F("pk").asc()
        if self.path is None:
            return [pk]
        value = F(SORT_VALUE)
        # NULLs last in ascending order, so first in descending, whatever the database's default.
        first = value.desc(nulls_first=True) if descending else value.asc(nulls_last=True)
        return [first, pk]

    def prepare(self, queryset: QuerySet[M]) -> QuerySet[M]:
        if self.path is None:
            return queryset
        annotated: QuerySet[M] = queryset.annotate(**{SORT_VALUE: F(self.path)})
        return annotated

    def apply(self, queryset: QuerySet[M]) -> QuerySet[M]:
        """``queryset`` in this order (for exports and the first page)."""
        return self.prepare(queryset).order_by(*self.expressions())

    def key(self, row: Model) -> tuple[Any, Any]:
        value = getattr(row, SORT_VALUE) if self.path is not None else None
        return value, row.pk

    def beyond(self, key: tuple[Any, Any], forward: bool) -> Q:
        """Rows after ``key`` in list order (``forward``) or before it."""
        value, pk = key
        greater = forward != self.descending
        if self.path is None:
            return Q(pk__gt=pk) if greater else Q(pk__lt=pk)
        op = "gt" if greater else "lt"
        same = Q(**{SORT_VALUE: value, f"pk__{op}": pk})
        if value is None:  # NULLs sort after every value
            nulls = Q(**{f"{SORT_VALUE}__isnull": True, f"pk__{op}": pk})
            return nulls if greater else Q(**{f"{SORT_VALUE}__isnull": False}) | nulls
        beyond = Q(**{f"{SORT_VALUE}__{op}": value}) | same
        if greater and self.nullable:
            return beyond | Q(**{f"{SORT_VALUE}__isnull": True})
        return beyond

    def cursor(self, row: Model) -> str:
        value, pk = self.key(row)
        if self.path is None:
            return str(pk)
        text = None if value is None else str(value)
        key = json.dumps([text, str(pk)]).encode()
        return base64.urlsafe_b64encode(key).decode().rstrip("=")

    def read_cursor(self, token: str) -> tuple[Any, Any] | None:
        """The key a cursor holds; None for anything this list did not write."""
        if self.path is None:
            pk = self._pk(token)
            return None if pk is None else (None, pk)
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            text, written = json.loads(raw)
            value = None if text is None else self.field.to_python(text)  # type: ignore[union-attr]
        except (binascii.Error, ValueError, TypeError):
            return None
        pk = self._pk(written) if isinstance(written, str) else None
        return None if pk is None else (value, pk)

    def _pk(self, text: str) -> Any:
        """The primary key ``text`` names (an integer or a UUID, as the model's is), else None."""
        if self.pk_field is None:
            return int(text) if text.isdecimal() else None
        try:
            return self.pk_field.to_python(text)
        except ValidationError:
            return None


def resolve_field(model: type[Model], path: str) -> tuple[Field[Any, Any], bool]:
    """The field at the end of ``path`` and whether the path can end in NULL (a nullable field
    or a nullable relation on the way)."""
    nullable = False
    field: Any = None
    for name in path.split("__"):
        field = model._meta.get_field(name)
        nullable = nullable or bool(field.null)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    return field, nullable


@dataclass(frozen=True)
class PageLink:
    number: int
    query: str  # the query string of that page
    current: bool = False


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    number: int
    count: int
    estimated: bool  # ``count`` is the planner's estimate of a whole table
    pages: int
    links: list[PageLink | None]  # numbered links; None where pages are left out (…)
    previous: PageLink | None
    next: PageLink | None


def total(queryset: QuerySet[Any]) -> tuple[int, bool]:
    """The number of rows and whether it is an estimate (see the module's docstring)."""
    query = queryset.query
    connection = connections[queryset.db]
    if connection.vendor == "postgresql" and not query.where and not query.distinct:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                [queryset.model._meta.db_table],
            )
            row = cursor.fetchone()
        if row and row[0] >= settings.KAIFAQU_LIST_ESTIMATE_ABOVE:
            return int(row[0]), True
    return queryset.count(), False


def _number(params: QueryDict, name: str, default: int) -> int:
    raw = params.get(name, "")
    return int(raw) if raw.isdecimal() else default


def keyset_page(
    queryset: QuerySet[M],
    params: QueryDict,
    ordering: Ordering | None = None,
    size: int = PAGE_SIZE,
    base_query: str = "",
) -> Page[M]:
    """The page of ``queryset`` that ``params`` address, in ``ordering`` (pk order by default).

    ``base_query`` is the query string every page link keeps (filters, sort).
    """
    ordering = ordering or Ordering.by(queryset.model, None)
    count, estimated = total(queryset)
    pages = max(1, math.ceil(count / size))
    prepared = ordering.prepare(queryset)
    forward = prepared.order_by(*ordering.expressions())
    skip = min(_number(params, "skip", 0), WINDOW * size)
    number = max(1, _number(params, "page", 1))
    after = ordering.read_cursor(params.get("after", ""))
    before = ordering.read_cursor(params.get("before", ""))
    backward = prepared.order_by(*ordering.expressions(reverse=True))
    if params.get("last") == "1":
        on_last = count - (pages - 1) * size if count and not estimated else size
        rows = list(backward[:on_last])[::-1]
        number, has_next = max(pages, 1), False
    elif before is not None:
        rows = list(backward.filter(ordering.beyond(before, forward=False))[skip : skip + size])
        rows = rows[::-1]
        has_next = True
        if len(rows) < size or number <= 1:  # at the start of the list: the first page
            number, rows, has_next = _first(forward, size)
    elif after is not None:
        found = list(forward.filter(ordering.beyond(after, forward=True))[skip : skip + size + 1])
        rows, has_next = found[:size], len(found) > size
        number = max(number, 2)
    else:
        number, rows, has_next = _first(forward, size)
    if not has_next:  # the count may be an estimate, or rows went since the link was made
        pages = number
    elif pages <= number:
        pages = number + 1
    link = _linker(ordering, rows, number, pages, size, base_query)
    return Page(
        rows=rows,
        number=number,
        count=count,
        estimated=estimated,
        pages=pages,
        links=[None if n is None else link(n) for n in _window(number, pages)],
        previous=link(number - 1) if number > 1 else None,
        next=link(number + 1) if has_next else None,
    )


def page_of(
    queryset: QuerySet[M], row: M, ordering: Ordering, size: int = PAGE_SIZE, base_query: str = ""
) -> str:
    """The query string of the page of ``queryset`` (in ``ordering``) that shows ``row``: rows
    before it counted, then the cursor of the last row of the page before."""
    prepared = ordering.prepare(queryset)
    found = prepared.get(pk=row.pk)  # with its sort value
    before = prepared.filter(ordering.beyond(ordering.key(found), forward=False)).count()
    number = before // size + 1
    if number == 1:
        return base_query
    previous = prepared.order_by(*ordering.expressions())[(number - 1) * size - 1]
    extra = urlencode({"page": number, "after": ordering.cursor(previous)})
    return f"{base_query}&{extra}" if base_query else extra


def _first(forward: QuerySet[M], size: int) -> tuple[int, list[M], bool]:
    found = list(forward[: size + 1])
    return 1, found[:size], len(found) > size


def _window(number: int, pages: int) -> list[int | None]:
    """First, last and ``WINDOW`` pages each side of ``number``; None marks a gap."""
    shown = sorted({1, pages, *range(max(1, number - WINDOW), min(pages, number + WINDOW) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(n)
    return numbers


def _linker(
    ordering: Ordering, rows: Sequence[Model], number: int, pages: int, size: int, base: str
) -> Any:
    """A function giving the link to page ``n``, reached from the rows of page ``number``."""

    def query(**params: Any) -> str:
        extra = urlencode(params)
        return f"{base}&{extra}" if base and extra else base or extra

    def link(n: int) -> PageLink:
        if n == number:
            return PageLink(n, query(page=n), current=True)
        if n == 1 or not rows:
            return PageLink(n, query())
        if n == pages and n > number + 1:
            return PageLink(n, query(page=n, last=1))
        if n > number:
            cursor = ordering.cursor(rows[-1])
            skip = (n - number - 1) * size
            return PageLink(n, query(page=n, after=cursor, **({"skip": skip} if skip else {})))
        cursor = ordering.cursor(rows[0])
        skip = (number - n - 1) * size
        return PageLink(n, query(page=n, before=cursor, **({"skip": skip} if skip else {})))

    return link


def list_page(items: Sequence[Any], params: QueryDict, size: int = PAGE_SIZE) -> Page[Any]:
    """A numbered page of a list already in memory (computed whole, such as a comparison of
    two runs): offsets cost nothing there. ``?page=N`` picks it; other parameters are kept."""
    pages = max(1, math.ceil(len(items) / size))
    number = min(max(1, _number(params, "page", 1)), pages)
    kept = params.copy()
    kept.pop("page", None)
    base = kept.urlencode()

    def link(n: int) -> PageLink:
        return PageLink(n, f"{base}&page={n}" if base else f"page={n}", current=n == number)

    return Page(
        rows=list(items[(number - 1) * size : number * size]),
        number=number,
        count=len(items),
        estimated=False,
        pages=pages,
        links=[None if n is None else link(n) for n in _window(number, pages)],
        previous=link(number - 1) if number > 1 else None,
        next=link(number + 1) if number < pages else None,
    )
