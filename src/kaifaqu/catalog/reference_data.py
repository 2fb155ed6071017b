"""Reference data shipped with the platform: GB/T 4754-2017, the default tag and indicator lists.

The CSV files beside this module are the source; the catalog's data migration loads them, and
bureaus edit the rows afterwards like any other data.
"""

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_reference_data(apps: Any, schema_editor: Any) -> None:
    """Data-migration entry point: works on the historical models it is given."""
    industry = apps.get_model("catalog", "Industry")
    sections: dict[str, Any] = {}
    for row in read_rows("gbt4754_2017.csv"):
        parent = sections.get(row["parent"])
        level = "division" if parent else "section"
        obj = industry.objects.create(
            code=row["code"], name=row["name"], level=level, parent=parent
        )
        if parent is None:
            sections[row["code"]] = obj
    tag = apps.get_model("catalog", "Tag")
    tag.objects.bulk_create(tag(**row) for row in read_rows("tags.csv"))
    indicator = apps.get_model("catalog", "Indicator")
    indicator.objects.bulk_create(
        indicator(**indicator_fields(row, indicator)) for row in read_rows("indicators.csv")
    )


def indicator_fields(row: dict[str, str], model: Any) -> dict[str, Any]:
    """A row of indicators.csv as the fields ``model`` has (a historical model of an early
    migration has fewer: the value ranges came later, see ``load_indicator_ranges``)."""
    names = {field.name for field in model._meta.get_fields()}
    fields: dict[str, Any] = {k: v for k, v in row.items() if k in names}
    fields["direction"] = int(row["direction"])
    for bound in ("minimum", "maximum"):
        if bound in fields:
            fields[bound] = Decimal(fields[bound]) if fields[bound] else None
    if "integer" in fields:
        fields["integer"] = fields["integer"] == "1"
    return fields


def load_indicator_ranges(apps: Any, schema_editor: Any) -> None:
    """Data-migration entry point: the shipped indicators' value ranges, from indicators.csv."""
    indicator = apps.get_model("catalog", "Indicator")
    for row in read_rows("indicators.csv"):
        fields = indicator_fields(row, indicator)
        indicator.objects.filter(code=row["code"]).update(
            minimum=fields["minimum"], maximum=fields["maximum"], integer=fields["integer"]
        )
