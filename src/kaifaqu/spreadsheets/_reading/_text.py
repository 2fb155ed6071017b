"""Text files: CSV from Excel (UTF-8, or GBK from Chinese Excel) and Excel's "Unicode 文本".

Decoding follows a fixed order and never guesses: a BOM decides (UTF-8, UTF-16 LE/BE); else strict
UTF-8; else strict GB18030 (a superset of GBK). NUL bytes without a BOM mean UTF-16 that cannot be
told apart reliably, and a file mixing UTF-8 and GBK lines is refused rather than half-garbled.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from . import _errors
from ._types import ReadError

__all__ = ["decode", "delimiter", "records"]

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding, or a ``ReadError`` that says which lines are wrong."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _decode_after_bom(data[len(bom) :], encoding), encoding
    nul = data.find(b"\0")
    if nul >= 0:
        raise _errors.utf16_without_bom(data.count(b"\n", 0, nul) + 1)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, bom_says_utf8=False)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as error:
        raise _errors.undecodable_text(_line_at(data, error.start), "GB18030(GBK)") from None


def _decode_after_bom(body: bytes, encoding: str) -> str:
    try:
        return body.decode("utf-8" if encoding == "utf-8-sig" else encoding)
    except UnicodeDecodeError as error:
        if encoding == "utf-8-sig":
            _refuse_mixed(body, bom_says_utf8=True)
            raise _errors.undecodable_text(_line_at(body, error.start), "UTF-8") from None
        # Count lines in what did decode: a UTF-16 newline is two bytes.
        good = body[: error.start - error.start % 2].decode(encoding)
        raise _errors.undecodable_text(good.count("\n") + 1, "UTF-16") from None


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _refuse_mixed(data: bytes, *, bom_says_utf8: bool) -> None:
    """Refuse a file whose non-ASCII lines are partly valid UTF-8 and partly not.

    Called only once strict UTF-8 has failed, so some line is not UTF-8. Lines of plain ASCII fit
    both encodings and say nothing. The minority is named as the offending lines.
    """
    utf8: list[int] = []
    other: list[int] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other.append(number)
        else:
            utf8.append(number)
    if not utf8:
        return
    if len(other) <= len(utf8) or bom_says_utf8:
        raise _errors.mixed_encoding(other, len(other), lines_are_utf8=False)
    raise _errors.mixed_encoding(utf8, len(utf8), lines_are_utf8=True)


def delimiter(text: str) -> str:
    """Tab for Excel's "Unicode 文本", comma for CSV: whichever the header line has more of."""
    for line in io.StringIO(text):
        if line.strip():
            return "\t" if line.count("\t") > line.count(",") else ","
    return ","


def records(text: str, sep: str) -> Iterator[tuple[int, list[str]]]:
    """``(Excel row number, fields)``: one per CSV record, as Excel opens the file (a quoted line
    break stays inside its cell; a blank line is an empty row). Trailing empty fields are dropped,
    as Excel writes them for every row once any row was wider."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    number = 0
    try:
        for fields in reader:
            number += 1
            while fields and fields[-1] == "":
                fields.pop()
            yield number, fields
    except csv.Error as error:
        raise _csv_error(reader.line_num, str(error)) from None


def _csv_error(line: int, detail: str) -> ReadError:
    if "field larger than field limit" in detail:
        return _errors.field_too_long(line, csv.field_size_limit())
    return _errors.csv_syntax(line, detail)
