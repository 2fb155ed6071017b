"""Reading an uploaded file as one table: the only door from bytes to rows.

Pure Python (no Django), so the web views, background jobs and the command line all call it.
Formats are told by content (xlsx, xls, ods, CSV and Excel's "Unicode 文本"); text is decoded by
a fixed rule, never guessed; zip-based files are checked for bombs and XML entities before any
parser sees them, and a sheet's declared and used area is checked against the limits before a
parser allocates it. The parsing itself runs in a child process under memory and CPU limits
(``_reading._isolation``), so a file no check foresaw is refused, never fatal. Anything that
cannot be read is a ``ReadError`` whose ``message`` and ``fix`` speak to the clerk who sent it.

>>> table = read_table("企业名称,纳税总额\\n甲公司,12.5\\n".encode(), "taxes.csv")
>>> table.file_format, table.encoding, table.header, table.rows
('csv', 'utf-8', ['企业名称', '纳税总额'], [(2, ['甲公司', '12.5'])])
>>> try:
...     read_table(b"a\\0b", "x.csv")
... except ReadError as error:
...     error.code
'utf16_without_bom'
"""

from __future__ import annotations

from collections.abc import Collection

from ._reading import _biff, _errors, _sniff, _text, _zipsafe
from ._reading._grid import collect, peek_rows
from ._reading._isolation import run_isolated
from ._reading._places import cell_name, column_letter
from ._reading._select import choose
from ._reading._types import Cells, Limits, ReadError, Table
from ._reading._workbook import read_workbook

__all__ = ["Cells", "Limits", "ReadError", "Table", "cell_name", "column_letter", "read_table"]

DEFAULT_LIMITS = Limits()


def read_table(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    header_candidates: Collection[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """The header and data rows of ``sheet`` (or of the sheet that looks like the data).

    ``header_candidates`` are the column names the caller knows; the sheet whose first row holds
    the most of them is read, and a file where no first row holds any is refused (``no_header``).
    Cells keep the file's types: text, ``int``/``float``, dates, booleans, ``None`` for empty
    (CSV cells are text). Raises ``ReadError`` for anything that cannot be read, ``unsafe_file``
    when the child process that reads it dies or overruns ``limits``.
    """
    if len(data) > limits.max_bytes:
        raise _errors.too_large(len(data), limits.max_bytes)
    options = {"sheet": sheet, "header_candidates": tuple(header_candidates)}
    return run_isolated(_read_table, data, file_name, limits, options)


def _read_table(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    header_candidates: Collection[str] = (),
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """``read_table`` in this process: for the child it starts, and for tests of what it reads."""
    if len(data) > limits.max_bytes:
        raise _errors.too_large(len(data), limits.max_bytes)
    if not data:
        raise _errors.empty_file()
    expected = _sniff.EXTENSIONS.get(_sniff.extension(file_name))
    kind = _sniff.container(data)
    if kind == "text":
        _sniff.refuse_mismatch(file_name, expected, "text", _sniff.describe_text(data))
        return _read_text(data, file_name, header_candidates, limits)
    if kind == "ole":
        if _sniff.ole_is_encrypted(data):
            raise _errors.password_protected(file_name)
        _sniff.refuse_mismatch(file_name, expected, "xls", _sniff.DESCRIPTIONS["xls"])
        _biff.check_declared(data, limits)
        return read_workbook(data, file_name, "xls", sheet, header_candidates, limits, None)
    # A zip is checked before anything reads it, but not at all under a name promising text.
    if expected not in ("xlsx", "ods"):
        _sniff.refuse_mismatch(file_name, expected, "zip", "压缩文件(如 Excel 工作簿)")
    facts = _zipsafe.inspect(data, file_name, limits)
    file_format, what = _sniff.zip_format(facts)
    if file_format is None:
        raise _errors.unknown_format(file_name, what)
    _sniff.refuse_mismatch(file_name, expected, file_format, what)
    return read_workbook(data, file_name, file_format, sheet, header_candidates, limits, facts)


def _read_text(data: bytes, file_name: str, candidates: Collection[str], limits: Limits) -> Table:
    text, encoding = _text.decode(data)
    separator = _text.delimiter(text)
    records = list(_text.records(text, separator))
    choose([peek_rows("", iter(records))], candidates)
    collected = collect("", iter(records), limits)
    file_format = "tsv" if separator == "\t" else "csv"
    return collected.table(file_name, file_format, encoding, "")
