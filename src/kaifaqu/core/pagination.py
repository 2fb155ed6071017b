"""Keyset pagination: pages addressed by the last id seen, so page 5,000 costs what page 1 costs.

Lists are ordered by primary key (an inbox newest first); ``?after=ID`` moves forward and
``?before=ID`` back.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import QueryDict

M = TypeVar("M", bound=Model)

PAGE_SIZE = 50


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    rows: list[M]
    after: int | None  # id to pass as ?after= for the next page, None on the last page
    before: int | None  # id to pass as ?before= for the previous page, None on the first page


def _cursor(params: QueryDict, name: str) -> int | None:
    raw = params.get(name, "")
    return int(raw) if raw.isdecimal() else None


def keyset_page(
    queryset: QuerySet[M], params: QueryDict, size: int = PAGE_SIZE, *, descending: bool = False
) -> KeysetPage[M]:
    """One page of ``queryset`` (ordered by ``pk``, newest first if ``descending``) at the cursor
    given in ``params``."""
    after, before = _cursor(params, "after"), _cursor(params, "before")
    # "later" rows come after a cursor in the list's order, "earlier" ones before it
    later, earlier = ("pk__lt", "pk__gt") if descending else ("pk__gt", "pk__lt")
    order, reverse = ("-pk", "pk") if descending else ("pk", "-pk")
    if before is not None:
        rows = list(queryset.filter(**{earlier: before}).order_by(reverse)[: size + 1])
        has_more_before = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            after=rows[-1].pk if rows else None,
            before=rows[0].pk if rows and has_more_before else None,
        )
    start = queryset.filter(**{later: after}) if after is not None else queryset
    rows = list(start.order_by(order)[: size + 1])
    has_more_after = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        after=rows[-1].pk if rows and has_more_after else None,
        before=rows[0].pk if rows and after is not None else None,
    )
