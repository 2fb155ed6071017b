"""Writing a table as xlsx or CSV under its columns' headers, through the one writer of
``kaifaqu.core.sheets`` (constant-memory xlsx, streamed CSV, formula-like text neutralised)."""

import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from kaifaqu.core.sheets import csv_chunks, neutralise
from kaifaqu.core.sheets import write_xlsx as write_sheet
from kaifaqu.spreadsheets.columns import KindSpec

__all__ = ["neutralise", "to_csv", "to_xlsx", "write_xlsx"]


def write_xlsx(spec: KindSpec, rows: Iterable[list[Any]], target: str | IO[bytes]) -> None:
    """The rows under ``spec``'s headers, to ``target`` (a path or a binary file)."""
    write_sheet(spec.sheet, [column.header for column in spec.written], rows, target)


def to_xlsx(spec: KindSpec, rows: Iterable[list[Any]]) -> bytes:
    """The sheet as bytes, for a file small enough to hold (a template, an inline export, demo
    data); written by the same constant-memory writer as every other xlsx of a list."""
    buffer = io.BytesIO()
    write_xlsx(spec, rows, buffer)
    return buffer.getvalue()


def to_csv(spec: KindSpec, rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV in UTF-8 with a BOM, so Excel opens it in the right encoding."""
    return csv_chunks([column.header for column in spec.written], rows)
