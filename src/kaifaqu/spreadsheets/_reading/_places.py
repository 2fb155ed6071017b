"""Naming places as Excel shows them: columns as letters, cells as ``D5``, sheets as ``数据!``."""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["cell_name", "column_letter", "listing", "rows_text", "sheet_prefix"]

SHOWN = 5  # a message names this many places, then counts the rest
_PLAIN_SHEET = re.compile(r"\w+")


def column_letter(index: int) -> str:
    """``0 → "A"``, ``25 → "Z"``, ``26 → "AA"``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def cell_name(row: int, column: int) -> str:
    """A cell as Excel names it from a 1-based row and 0-based column: ``cell_name(5, 3)`` is D5."""
    return f"{column_letter(column)}{row}"


def sheet_prefix(sheet: str) -> str:
    """``"数据!"``; a name with spaces or punctuation is quoted as Excel does (``'My data'!``)."""
    if not sheet:
        return ""
    if _PLAIN_SHEET.fullmatch(sheet):
        return f"{sheet}!"
    return "'{}'!".format(sheet.replace("'", "''"))


def listing(items: Sequence[str], total: int | None = None) -> str:
    """``"D5、E7、F9"``, or ``"D5、E7、F9、G2、H4 等 12 处"`` when there are more than shown."""
    total = len(items) if total is None else total
    shown = "、".join(items[:SHOWN])
    return f"{shown} 等 {total:,} 处" if total > SHOWN else shown


def rows_text(rows: Sequence[int], total: int | None = None) -> str:
    """``"第 3、7 行"``, or ``"第 3、7、9、11、12 行等 40 行"``."""
    total = len(rows) if total is None else total
    shown = "、".join(str(row) for row in rows[:SHOWN])
    return f"第 {shown} 行等 {total:,} 行" if total > SHOWN else f"第 {shown} 行"
