"""What is wrong with a file, one cell at a time, in words a clerk understands."""

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None  # as Excel shows it; None for a problem of the whole file
    column: str  # the header as written in the file
    value: str  # the raw cell, as text
    code: str
    message: str
    fix: str
    severity: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class CellError(ValueError):
    """A cell that cannot be read as its column's type; carries the code, message and fix."""

    def __init__(self, code: str, message: str, fix: str) -> None:
        super().__init__(message)
        self.code, self.message, self.fix = code, message, fix


def raw_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)
