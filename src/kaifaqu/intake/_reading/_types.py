"""The reading layer's vocabulary: limits, the table it returns and the one error it raises."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Limits", "ReadError", "Table"]


@dataclass(frozen=True)
class Limits:
    """What one uploaded file may hold; every limit is checked before the work it guards."""

    max_bytes: int = 50 * 1024 * 1024
    max_rows: int = 1_000_000
    max_columns: int = 200
    max_cell_chars: int = 32_767  # Excel's own cell limit
    max_zip_entries: int = 1_000
    max_uncompressed_bytes: int = 512 * 1024 * 1024
    max_compression_ratio: int = 100  # per entry, uncompressed / compressed


@dataclass(frozen=True)
class Table:
    """One sheet (or text file) as read: the header and the data rows under it.

    Index ``i`` of ``header`` and of every row is spreadsheet column ``i`` (A = 0), so a cell can
    be named back to the clerk as ``cell_name(row_number, i)``; every row is as long as the header.
    """

    file_name: str
    file_format: str  # "xlsx" | "xls" | "ods" | "csv" | "tsv"
    encoding: str | None  # text files: "utf-8-sig", "utf-8", "utf-16-le", "utf-16-be", "gb18030"
    sheet: str  # "" for text files
    header: list[str]
    header_row: int  # as Excel shows it (1-based)
    rows: list[tuple[int, list[object]]]  # (Excel row number, cells); fully blank rows skipped
    repeated_header_rows: list[int]  # data rows identical to the header, dropped from ``rows``


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
