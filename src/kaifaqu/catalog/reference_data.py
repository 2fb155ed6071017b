"""Reference data shipped with the platform: GB/T 4754-2017, the default tag and indicator lists.

The CSV files beside this module are the source; the catalog's data migration loads them, and
bureaus edit the rows afterwards like any other data.
"""

import csv
from collections.abc import Iterator
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
        indicator(**{**row, "direction": int(row["direction"])})
        for row in read_rows("indicators.csv")
    )
