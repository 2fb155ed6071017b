"""The reading layer's vocabulary: limits, the table it returns and the one error it raises."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

__all__ = ["Cells", "Limits", "ReadError", "Table"]


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold; every limit is checked before the work it guards.

    A sheet's rows, columns and cells are checked against what the file declares and where its
    cells lie, before a parser allocates them; memory and CPU bound the child process that parses
    (``read_table``), for whatever no check foresaw.
    """

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 200
    max_cells: int = 20_000_000  # rows × columns of a sheet's used area, as a parser allocates it
    max_cell_chars: int = 32_767  # Excel's own cell limit
    max_zip_entries: int = 1_000
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    max_compression_ratio: int = 100  # per entry, uncompressed / compressed
    max_memory_bytes: int = 4 * 1024**3  # RLIMIT_DATA of the reading child
    max_cpu_seconds: int = 120  # RLIMIT_CPU of the reading child


# The cells of one column, top to bottom: Python values (text, ``int``/``float``, dates, booleans,
# ``None`` for empty), or a typed Polars Series (String, Float64, Boolean) whose items are the same
# Python values, when a plain xlsx sheet was read straight into columns.
Cells = Sequence[object] | pl.Series


@dataclass(frozen=True)
class Table:
    """One sheet (or text file) as read: the header and the data under it, column by column.

    ``columns[i]`` holds the cells of spreadsheet column ``i`` (A = 0) under the header, and
    ``numbers`` the row number of each as Excel shows it, so a cell can be named back to the clerk
    as ``cell_name(numbers[j], i)``; there is one column per header cell.
    """

    file_name: str
    file_format: str  # "xlsx" | "xls" | "ods" | "csv" | "tsv"
    encoding: str | None  # text files: "utf-8-sig", "utf-8", "utf-16-le", "utf-16-be", "gb18030"
    sheet: str  # "" for text files
    header: list[str]
    header_row: int  # as Excel shows it (1-based)
    numbers: list[int]  # of the data rows; fully blank rows are skipped
    columns: list[Cells]
    repeated_header_rows: list[int]  # data rows identical to the header, dropped from the data

    @classmethod
    def from_rows(
        cls,
        file_name: str,
        file_format: str,
        encoding: str | None,
        sheet: str,
        header: list[str],
        header_row: int,
        rows: list[tuple[int, list[object]]],
        repeated_header_rows: list[int],
    ) -> Table:
        """A table from ``(row number, cells)`` pairs, every row as long as the header."""
        numbers = [number for number, _ in rows]
        columns: list[Cells] = [list(c) for c in zip(*(cells for _, cells in rows), strict=True)]
        columns = columns or [[] for _ in header]
        return cls(
            file_name,
            file_format,
            encoding,
            sheet,
            header,
            header_row,
            numbers,
            columns,
            repeated_header_rows,
        )

    @property
    def rows(self) -> list[tuple[int, list[object]]]:
        """The data row by row, as ``(row number, cells)``: for the report and for tests."""
        lists = [c.to_list() if isinstance(c, pl.Series) else c for c in self.columns]
        return [
            (n, list(cells))
            for n, cells in zip(self.numbers, zip(*lists, strict=True), strict=True)
        ]


class ReadError(Exception):
    """A file that cannot be read as a table, with words for the clerk who sent it.

    ``code`` is machine-readable; ``message`` says what is wrong and where, ``fix`` what to do
    (both Chinese); ``location`` is the place alone (``第 3、7 行``, ``数据!D5``) or ``""``.
    """

    def __init__(self, code: str, message: str, fix: str, location: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.fix = fix
        self.location = location

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "message": self.message,
            "fix": self.fix,
            "location": self.location,
        }
