"""Reading frameworks and units: COINr's ``iMeta`` / ``iData`` tables (CSV or XLSX) and TOML.

Row numbers in messages are spreadsheet rows: the header is row 1, the first unit row 2.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from python_calamine import CalamineWorkbook

from ._data import UnitData
from ._errors import DataError, FrameworkError
from ._framework import Framework, Node

MISSING_TEXT = ["", "NA"]
META_COLUMNS = {
    "Level": "level",
    "iCode": "code",
    "iName": "name",
    "Direction": "direction",
    "Weight": "weight",
    "Unit": "unit",
    "Target": "target",
    "Denominator": "denominator",
    "Parent": "parent",
    "Type": "type",
}
TOML_KEYS = tuple(META_COLUMNS.values())
HEADER_ROWS = 1


def read_table(
    path: str | os.PathLike[str], sheet: str | None = None, numbers: Sequence[str] = ()
) -> pl.DataFrame:
    """A CSV or XLSX sheet as text columns (missing cells null), so each cell is checked by us;
    a Parquet file as its typed columns. A CSV file's ``numbers`` columns are read as numbers
    straight away if every cell is one (else as text, for the check to name the cell)."""
    path = Path(path)
    if not path.is_file():
        raise FrameworkError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        return _read_sheet(path, sheet)
    if suffix == ".parquet":
        return pl.read_parquet(path)
    if numbers:
        typed = _typed_csv(path, numbers)
        if typed is not None:
            return typed
    return pl.read_csv(path, infer_schema=False, null_values=MISSING_TEXT)


def _typed_csv(path: Path, numbers: Sequence[str]) -> pl.DataFrame | None:
    """The CSV with ``numbers`` as float64, or None if a cell is not a finite number (or a
    column is missing): the text read then lets the check name the cell as written."""
    try:
        table = pl.read_csv(
            path,
            infer_schema=False,
            schema_overrides=dict.fromkeys(numbers, pl.Float64),
            null_values=MISSING_TEXT,
        )
    except pl.exceptions.PolarsError:
        return None
    if not set(numbers) <= set(table.columns):
        return None
    infinite = table.select(pl.any_horizontal(pl.col(numbers).is_infinite().any())).item()
    return None if infinite else table


def _read_sheet(path: Path, sheet: str | None) -> pl.DataFrame:
    book = CalamineWorkbook.from_path(str(path))
    name = sheet or book.sheet_names[0]
    if name not in book.sheet_names:
        raise FrameworkError(f"no sheet {name!r} in {path.name}")
    rows = book.get_sheet_by_name(name).to_python()
    if not rows:
        raise FrameworkError(f"sheet {name!r} of {path.name} is empty")
    header = [str(h) for h in rows[0]]
    columns = {
        h: [_cell_text(r[i]) if i < len(r) else None for r in rows[1:]]
        for i, h in enumerate(header)
    }
    return pl.DataFrame(columns, schema=dict.fromkeys(header, pl.String))


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# -- iMeta -----------------------------------------------------------------------------------


def framework_from_table(table: pl.DataFrame, source: str) -> Framework:
    """A framework from an ``iMeta`` table (``Level, iCode, iName, Direction, Weight, Unit, Target,
    Denominator, Parent, Type``); ``iCode`` and ``Type`` are required."""
    for required in ("iCode", "Type"):
        if required not in table.columns:
            raise FrameworkError(
                f"missing column {required}", source=source, row=1, column=required
            )
    names = [c for c in table.columns if c in META_COLUMNS]
    nodes = [
        _node(
            {META_COLUMNS[c]: row[c] for c in names},
            source,
            i + 1 + HEADER_ROWS,
            META_COLUMNS,
            default_direction=None,
        )
        for i, row in enumerate(table.select(names).iter_rows(named=True))
    ]
    return Framework(nodes, source=source)


def framework_from_toml(entries: Sequence[Mapping[str, Any]], source: str) -> Framework:
    """A framework from ``[[framework]]`` tables, one per node, keys as ``iMeta`` in lower case;
    an error names the entry by its number and the key at fault.

    >>> framework_from_toml([{"code": "a", "parent": "T", "weight": 1}], "pool")
    Traceback (most recent call last):
    kaifaqu.scoring._errors.FrameworkError: pool row 1, column parent: unknown parent 'T'
    """
    nodes = []
    for i, entry in enumerate(entries, start=1):
        for key in entry:
            if key not in TOML_KEYS:
                raise FrameworkError(f"unknown key {key!r}", source=source, row=i, column=key)
        kind = entry.get("type") or (
            "Aggregate" if "level" in entry and entry["level"] > 1 else "Indicator"
        )
        labels = {k: k for k in TOML_KEYS}
        nodes.append(_node({**entry, "type": kind}, source, i, labels, default_direction=1))
    try:
        return Framework(nodes, source=source)
    except FrameworkError as error:
        # The tree's checks name iMeta columns; an entry's author knows them as TOML keys.
        column = META_COLUMNS.get(error.column or "", error.column)
        raise FrameworkError(error.reason, source=source, row=error.row, column=column) from None


def _node(
    cells: Mapping[str, Any],
    source: str,
    row: int,
    labels: Mapping[str, str],
    *,
    default_direction: int | None,
) -> Node:
    """One node from its cells; an indicator's missing Direction is refused unless defaulted."""
    column = {v: k for k, v in labels.items()}

    def number(key: str) -> float | None:
        text = cells.get(key)
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        try:
            return float(text)
        except (TypeError, ValueError):
            raise FrameworkError(
                f"not a number: {text!r}", source=source, row=row, column=column[key]
            ) from None

    def text(key: str) -> str | None:
        value = cells.get(key)
        return None if value is None or str(value).strip() == "" else str(value).strip()

    level, direction = number("level"), number("direction")
    for key, value in (("level", level), ("direction", direction)):
        if value is not None and not value.is_integer():
            raise FrameworkError(
                f"{value} is not a whole number", source=source, row=row, column=column[key]
            )
    kind = text("type") or ""
    return Node(
        code=text("code") or "",
        type=kind,
        level=None if level is None else int(level),
        parent=text("parent"),
        weight=number("weight"),
        direction=_direction(direction, kind, default_direction),
        name=text("name"),
        unit=text("unit"),
        target=number("target"),
        denominator=text("denominator"),
        row=row,
    )


def _direction(value: float | None, kind: str, default: int | None) -> int:
    if value is not None:
        return int(value)
    if kind != "Indicator":
        return 1
    return default if default is not None else 0  # 0 is refused by the framework, by row


# -- iData -----------------------------------------------------------------------------------


def units_from_table(table: pl.DataFrame, framework: Framework, source: str) -> UnitData:
    """Units from an ``iData`` table: ``uCode``, indicator and denominator columns (numbers), and
    every other column (``uName``, groups, ``Time``…) kept as text."""
    if "uCode" not in table.columns:
        raise FrameworkError("missing column uCode", source=source, row=1, column="uCode")
    codes = table["uCode"].to_numpy().astype(object)
    denominators = _denominator_names(framework)
    numeric = number_columns(framework)
    for name in numeric:
        if name not in table.columns:
            raise FrameworkError(f"no column for {name!r}", source=source, row=1, column=name)
    numbers = _numbers(table, numeric, codes)
    return UnitData.from_columns(
        codes,
        {c: numbers[c] for c in framework.indicators},
        denominators={c: numbers[c] for c in denominators},
        attributes={
            c: table[c].to_numpy().astype(object)
            for c in table.columns
            if c not in numeric and c != "uCode"
        },
    )


def number_columns(framework: Framework) -> list[str]:
    """The ``iData`` columns read as numbers: the indicators, then the denominators."""
    return [*framework.indicators, *_denominator_names(framework)]


def _denominator_names(framework: Framework) -> list[str]:
    named = [framework.node(c).denominator for c in framework.indicators]
    return list(dict.fromkeys([*framework.denominators, *(n for n in named if n)]))


def _numbers(table: pl.DataFrame, names: list[str], units: np.ndarray) -> dict[str, np.ndarray]:
    """The named columns as float64; the first text that is not a number, or an infinite
    number, is refused naming its indicator, unit and row."""
    parsed = table.select(_parsed(table.schema[name], name) for name in names)
    out = {}
    for name in names:
        # no copy of a float column without missing cells (UnitData copies into its matrix)
        values = parsed[name].to_numpy().astype(np.float64, copy=False)
        # a cell became missing that was not (the usual file has none: counting is enough)
        if parsed[name].null_count() != table[name].null_count() or np.isinf(values).any():
            _refuse(table[name], parsed[name], name, units)
        out[name] = values
    return out


def _parsed(dtype: pl.DataType, name: str) -> pl.Expr:
    column = pl.col(name)
    if dtype == pl.String:
        column = column.str.strip_chars()
    return column.cast(pl.Float64, strict=False)


def _refuse(column: pl.Series, parsed: pl.Series, name: str, units: np.ndarray) -> None:
    """Raise for the first cell that is neither a number nor missing text, or is infinite."""
    text = column.cast(pl.String).str.strip_chars()
    missing = (text.is_null() | text.is_in(MISSING_TEXT)).to_numpy()
    values = parsed.to_numpy().astype(np.float64)
    bad = (parsed.is_null().to_numpy() & ~missing) | np.isinf(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"not a number: {column[i]!r} (row {i + 1 + HEADER_ROWS})",
            indicator=name,
            unit=str(units[i]),
        )
