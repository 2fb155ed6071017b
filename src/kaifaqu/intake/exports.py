"""Lists out in the import layout, so an exported file re-imports unchanged: the rows of a
queryset as the file shows them (``kaifaqu.spreadsheets.writing`` writes them as xlsx or CSV)."""

import itertools
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.http import HttpRequest

from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.enterprises.views import EnterpriseListView
from kaifaqu.intake.columns import ENTERPRISE_YEARS, ENTERPRISES, ZONES
from kaifaqu.spreadsheets.columns import Column, KindSpec
from kaifaqu.zones.views import ZoneListView

EXPORT_KINDS = ("zones", "enterprises", "enterprise-years")


def cell(column: Column, value: Any) -> Any:
    """A model value as the file shows it: labels for choices, codes for references."""
    if value is None:
        return None
    if column.type in ("choice", "bool"):
        stored = str(value).lower() if isinstance(value, bool) else value
        return dict(column.choices).get(stored, stored)
    if column.type == "list":
        return "、".join(getattr(v, "code", None) or v.name for v in value.all())
    if column.type == "ref":
        return getattr(value, "code", value)
    return value


# Columns of a yearly row that its relations hold: the enterprise's USCC, name and industry, and
# the zone of that year. Read as values in the export's one query: the related objects would cost
# a model instance each per row, which made building the rows nearly twice as slow.
RELATED_VALUES = {
    "enterprise-years": {
        "uscc": "enterprise__uscc",
        "name": "enterprise__name",
        "zone": "zone__code",
        "industry": "enterprise__industry__code",
    }
}
RELATED_PREFIX = "related_"  # the annotations' names, kept clear of the model's fields


def rows_for(
    spec: KindSpec, objects: Iterable[Any], related: Collection[str]
) -> Iterator[list[Any]]:
    """The file rows of ``objects``; the ``related`` column keys read from their annotations."""
    columns = spec.written
    names = [RELATED_PREFIX + c.key if c.key in related else c.key for c in columns]
    for obj in objects:
        yield [
            cell(column, getattr(obj, name)) for column, name in zip(columns, names, strict=True)
        ]


def zone_year_rows(spec: KindSpec, values: QuerySet[Any]) -> Iterator[list[Any]]:
    """Long-form zone indicators back to the wide layout: one row per zone and year."""
    position = {column.key: index for index, column in enumerate(spec.written)}
    rows = values.order_by("zone__code", "year").values_list(
        "zone__code", "year", "indicator__code", "value"
    )
    for (zone, year), group in itertools.groupby(rows.iterator(), key=lambda r: (r[0], r[1])):
        row: list[Any] = [None] * len(spec.written)
        row[0], row[1] = zone, year
        for _, _, indicator, value in group:
            row[position[f"indicator:{indicator}"]] = value
        yield row


def export_queryset(kind: str, queryset: QuerySet[Any]) -> tuple[KindSpec, Iterator[list[Any]]]:
    spec = {"zones": ZONES, "enterprises": ENTERPRISES, "enterprise-years": ENTERPRISE_YEARS}[kind]
    joined, prefetched = {
        "zones": (("region",), ("leading_industries",)),
        "enterprises": (("zone", "industry"), ("tags",)),
        "enterprise-years": ((), ()),
    }[kind]
    if joined:  # select_related() without names would join every relation
        queryset = queryset.select_related(*joined)
    values = RELATED_VALUES.get(kind, {})
    queryset = (
        queryset.prefetch_related(*prefetched)
        .annotate(**{RELATED_PREFIX + key: F(path) for key, path in values.items()})
        .order_by("pk")
    )
    return spec, rows_for(spec, queryset.iterator(chunk_size=2000), values)


class YearForm(forms.Form):
    """``?year=`` of the enterprise-years export: one year, or (blank) every year."""

    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)


def list_queryset(kind: str, request: HttpRequest) -> QuerySet[Any]:
    """The list of ``kind`` as its page filters it (the list view's own filtered queryset, in
    the user's scope); the enterprise years are those of the enterprises that list shows."""
    if kind == "zones":
        return ZoneListView().filtered_queryset(request)
    enterprises = EnterpriseListView().filtered_queryset(request)
    if kind == "enterprises":
        return enterprises
    years = EnterpriseYear.objects.restrict(request.user).filter(enterprise__in=enterprises)
    form = YearForm(request.GET)
    year = form.cleaned_data["year"] if form.is_valid() else None
    return years if year is None else years.filter(year=year)
