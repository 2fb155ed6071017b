"""The area an xls (BIFF8) sheet declares, read before calamine allocates it.

Each worksheet's DIMENSIONS record gives its last row and column; calamine reserves room for that
whole area before it reads a cell, so a 5 KB file declaring four billion rows aborts it. The
Workbook stream is found in the OLE2 compound file by a small reader of its own: a file this
reader cannot follow is left to calamine, which refuses it, and to the child process's limits.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from . import _errors
from ._places import column_letter
from ._types import Limits

__all__ = ["check_declared"]

END_OF_CHAIN = 0xFFFFFFFE
STREAMS = ("Workbook", "Book")
BOF, BOUNDSHEET, DIMENSIONS = 0x0809, 0x0085, 0x0200


def check_declared(data: bytes, limits: Limits) -> None:
    """Refuse a sheet whose DIMENSIONS record reaches beyond the limits."""
    try:
        stream = _workbook_stream(data)
    except (struct.error, IndexError, KeyError, ValueError):
        return
    if stream is None:
        return
    names: dict[int, str] = {}
    sheet = ""
    for offset, kind, body in _records(stream):
        if kind == BOUNDSHEET and len(body) >= 8:
            names[struct.unpack_from("<I", body)[0]] = _sheet_name(body[6:])
        elif kind == BOF:
            sheet = names.get(offset, "")
        elif kind == DIMENSIONS and len(body) >= 12:
            _, rows, _, columns = struct.unpack_from("<IIHH", body)
            _check(sheet, rows, columns, limits)


def _check(sheet: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        reference = f"A1:{column_letter(max(columns, 1) - 1)}{max(rows, 1)}"
        bounds = (limits.max_rows, limits.max_columns, limits.max_cells)
        raise _errors.declared_too_large(sheet, reference, bounds)


def _sheet_name(raw: bytes) -> str:
    """A ShortXLUnicodeString: a length, a flag (1 = UTF-16), the characters."""
    length, wide = raw[0], raw[1] & 1
    text = raw[2 : 2 + length * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


def _records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    position = 0
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield position, kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _workbook_stream(data: bytes) -> bytes | None:
    """The Workbook stream of the compound file, or ``None`` if it has none."""
    sector = 1 << struct.unpack_from("<H", data, 30)[0]
    mini = 1 << struct.unpack_from("<H", data, 32)[0]
    directory_start, cutoff, minifat_start = (
        struct.unpack_from("<I", data, 48)[0],
        *struct.unpack_from("<II", data, 56),
    )
    fat = _fat(data, sector)
    directory = _chain_bytes(data, fat, directory_start, sector)
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    for entry in entries:
        name_length = struct.unpack_from("<H", entry, 64)[0]
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le", "replace")
        if name not in STREAMS or entry[66] != 2:
            continue
        start, size = struct.unpack_from("<II", entry, 116)
        if size >= cutoff:
            return _chain_bytes(data, fat, start, sector)[:size]
        root_start, root_size = struct.unpack_from("<II", entries[0], 116)
        ministream = _chain_bytes(data, fat, root_start, sector)[:root_size]
        minifat = _u32s(_chain_bytes(data, fat, minifat_start, sector))
        return _chain_bytes(ministream, minifat, start, mini, skip=0)[:size]
    return None


def _fat(data: bytes, sector: int) -> list[int]:
    count, difat_start, difat_count = (
        struct.unpack_from("<I", data, 44)[0],
        *struct.unpack_from("<II", data, 68),
    )
    ids = list(struct.unpack_from("<109I", data, 76))
    next_difat = difat_start
    for _ in range(difat_count):
        block = _u32s(_sector(data, next_difat, sector))
        ids += block[:-1]
        next_difat = block[-1]
    return _u32s(b"".join(_sector(data, i, sector) for i in ids[:count]))


def _sector(data: bytes, number: int, size: int, skip: int = 1) -> bytes:
    """Sector ``number``; a file's sector 0 follows its header (``skip`` 1), a mini stream's
    starts it (``skip`` 0)."""
    start = (number + skip) * size
    if start + size > len(data):
        raise ValueError("sector beyond the file")
    return data[start : start + size]


def _chain_bytes(data: bytes, fat: list[int], start: int, size: int, skip: int = 1) -> bytes:
    parts: list[bytes] = []
    seen: set[int] = set()
    number = start
    while number != END_OF_CHAIN:
        if number in seen or number >= len(fat):
            raise ValueError("a broken chain")
        seen.add(number)
        parts.append(_sector(data, number, size, skip))
        number = fat[number]
    return b"".join(parts)


def _u32s(raw: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))
