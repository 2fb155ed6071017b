"""Reading a whole column of cells as its type at once, with Polars.

A column's plain cells (text, numbers in plain notation, labels from the drop-down lists) are read
by a few expressions over the column; every other cell (a date typed as text, 1.5e+20, full-width
digits, a number in a text column, anything wrong) goes to ``cells.read_cell``, which stays the one
definition of what a cell means and of every message. So a file of plain cells costs a handful of
vector operations per column, and a file full of mistakes costs what it did before.

Decimals are held as ``Decimal(38, 12)``: the exact value truncated (not rounded) after 12 places,
which keeps every digit that rounding half-up to the stored 2, 4 or 6 places looks at.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Context, Decimal
from typing import Any

import polars as pl

from kaifaqu.catalog.uscc import ALPHABET, WEIGHTS
from kaifaqu.spreadsheets.cells import range_error, read_cell, required_error
from kaifaqu.spreadsheets.columns import Column
from kaifaqu.spreadsheets.problems import CellError
from kaifaqu.spreadsheets.reading import Cells

SCALE = 12
DECIMAL = pl.Decimal(38, SCALE)
# Digits before the point a plain number may have here; longer ones are read cell by cell.
PLAIN_DIGITS = 18
PLAIN_NUMBER = rf"^-?[0-9]{{1,{PLAIN_DIGITS}}}(\.[0-9]*)?$"
PLAIN_INTEGER = rf"^-?[0-9]{{1,{PLAIN_DIGITS}}}(\.0*)?$"
# Python's str.strip() also strips these four; Polars' does not, so such cells go cell by cell.
UNEVEN_SPACE = "[\x1c-\x1f]"
USCC_SHAPE = f"^[{ALPHABET}]{{18}}$"
LIST_SEPARATOR = r"[、,;\s]+"  # as cells.LIST_SEPARATORS
TOO_BIG = Decimal(10) ** (38 - SCALE)
EXACT = Context(prec=80)
DTYPES: dict[str, Any] = {
    "decimal": DECIMAL,
    "integer": pl.Int64,
    "year": pl.Int64,
    "date": pl.Date,
    "bool": pl.Boolean,
    "list": pl.List(pl.String),
}


@dataclass
class ColumnRead:
    values: pl.Series  # null where blank or wrong
    errors: list[tuple[int, CellError]]  # (index in the column, what is wrong), in row order


def dtype(column: Column) -> Any:
    return DTYPES.get(column.type, pl.String)


def read_column(cells: Cells, column: Column, factor: Decimal) -> ColumnRead:
    """Every cell of one column as the column's type; wrong cells null, with their errors."""
    frame = _lanes(cells, numeric=column.type in ("decimal", "integer", "year"))
    # Python's str.strip() also strips \x1c-\x1f and Polars' does not: such cells go one by one.
    frame = frame.with_columns(
        text=pl.col("raw").str.strip_chars(),
        uneven=pl.col("raw").str.contains(UNEVEN_SPACE).fill_null(False),
    )
    frame = frame.with_columns(
        blank=pl.col("none") | ((pl.col("text") == "").fill_null(False) & ~pl.col("uneven"))
    )
    reader = VECTOR_READERS.get(column.type, _unread)
    frame = reader(frame, column, factor).with_columns(
        done=pl.col("done").fill_null(False) & ~pl.col("uneven")
    )
    empty = pl.lit([], pl.List(pl.String)) if column.type == "list" else None
    values = frame.select(
        pl.when(pl.col("blank")).then(empty).otherwise(pl.when("done").then("value"))
    ).to_series()
    errors: list[tuple[int, CellError]] = []
    fixed: list[tuple[int, object]] = []
    blank = pl.col("blank") & bool(column.required)
    undecided = blank | (~pl.col("blank") & ~pl.col("done")) | pl.col("wrong").is_not_null()
    rows = frame.with_row_index("i").filter(undecided).select("i", "blank", "done", "wrong")
    for i, blank, done, wrong in rows.iter_rows():
        if blank:
            if column.required:
                errors.append((i, required_error(column)))
        elif done:
            errors.append((i, range_error(column, below=wrong == "below")))
        else:
            _read_one(cells[i], i, column, factor, errors, fixed)
    errors.sort(key=lambda pair: pair[0])
    values = _put(values, fixed + [(i, None) for i, _ in errors])
    return ColumnRead(values.alias(column.key), errors)


def _put(values: pl.Series, cells: list[tuple[int, object]]) -> pl.Series:
    """``values`` with the given cells replaced."""
    if not cells:
        return values
    if values.dtype == pl.List:  # Polars cannot scatter into lists; such columns are short
        items = values.to_list()
        for i, value in cells:
            items[i] = value
        return pl.Series(values.name, items, dtype=values.dtype)
    new = pl.Series([value for _, value in cells], dtype=values.dtype)
    return values.scatter([i for i, _ in cells], new)


def _read_one(
    cell: object,
    i: int,
    column: Column,
    factor: Decimal,
    errors: list[tuple[int, CellError]],
    fixed: list[tuple[int, object]],
) -> None:
    """A cell the vector reading left alone: read by the cell parsers, the one definition."""
    try:
        value = read_cell(cell, column, factor)
    except CellError as error:
        errors.append((i, error))
        return
    if isinstance(value, Decimal) and column.type == "decimal":
        value = _truncated(value)
        fits = value is not None
    else:
        fits = not isinstance(value, int) or -(2**63) <= value < 2**63
    if not fits:
        errors.append((i, too_big(column)))
        return
    fixed.append((i, value))


def _lanes(cells: Cells, numeric: bool) -> pl.DataFrame:
    """The column as ``raw`` (its text cells), ``number`` (in a numeric column, its numbers as
    text) and ``none`` (its empty cells); any other cell is in none of them."""
    if isinstance(cells, pl.Series):
        nothing = pl.lit(None, pl.String)
        return pl.DataFrame({"none": cells.is_null()}).with_columns(
            raw=cells if cells.dtype == pl.String else nothing,
            number=cells.cast(pl.String) if numeric and cells.dtype == pl.Float64 else nothing,
        )
    kinds = set(map(type, cells))
    frame = pl.DataFrame(
        {
            "raw": _lane(cells, kinds, str, pl.String),
            "number": _numbers(cells, kinds)
            if numeric
            else pl.repeat(None, len(cells), dtype=pl.String, eager=True),
        }
    )
    return frame.with_columns(none=_nones(cells, kinds, frame, numeric))


def _nones(
    cells: Sequence[object], kinds: set[type], frame: pl.DataFrame, numeric: bool
) -> pl.Series:
    """Which cells are None; read off the lanes when every cell is in one."""
    if type(None) not in kinds:
        return pl.repeat(False, len(cells), eager=True)
    if kinds <= {str, type(None)} or (numeric and kinds <= {str, float, type(None)}):
        return frame["raw"].is_null() & frame["number"].is_null()
    return pl.Series([v is None for v in cells], dtype=pl.Boolean)


def too_big(column: Column) -> CellError:
    """A number no column of the database holds (it used to fail when written)."""
    return CellError("out_of_range", f"「{column.name}」数值过大", "核对数值和单位")


def _truncated(value: Decimal) -> Decimal | None:
    if abs(value) >= TOO_BIG:
        return None
    return value.quantize(Decimal(1).scaleb(-SCALE), rounding=ROUND_DOWN, context=EXACT)


def _lane(cells: Sequence[object], kinds: set[type], kind: type, dtype: Any) -> pl.Series:
    """The cells of one Python type, the others null."""
    if kind not in kinds:
        return pl.repeat(None, len(cells), dtype=dtype, eager=True)
    if kinds <= {kind, type(None)}:
        return pl.Series(cells, dtype=dtype)
    return pl.Series([v if type(v) is kind else None for v in cells], dtype=dtype)


def _numbers(cells: Sequence[object], kinds: set[type]) -> pl.Series:
    """Numeric cells as the shortest text that reads back as the same number (Python's repr).

    Integers beyond 64 bits are left to the cell parsers.
    """
    floats = _lane(cells, kinds, float, pl.Float64).cast(pl.String)
    if int not in kinds or not _small_ints(cells):
        return floats
    ints = _lane(cells, kinds, int, pl.Int64).cast(pl.String)
    return floats.zip_with(floats.is_not_null(), ints)


def _small_ints(cells: Sequence[object]) -> bool:
    return all(-(2**63) <= v < 2**63 for v in cells if type(v) is int)


Reader = Callable[[pl.DataFrame, Column, Decimal], pl.DataFrame]
# Each reader adds to a column's frame (``text``: the stripped text cells, ``number``: numeric cells
# as text) ``value``, ``done`` (read here) and ``wrong`` ("below"/"above" the column's range).
# Intermediate columns are materialised step by step: an expression used twice is computed twice.


def _decimal(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    """Plain numbers, cut after the places that make 12 once the unit's factor is applied."""
    # 元 → 万元 moves the point 4 places left, so 8 places of the cell make 12 of the value.
    places = SCALE + factor.adjusted()
    text = pl.col("text").str.replace_all(",", "", literal=True)
    frame = frame.with_columns(plain=pl.coalesce(pl.col("number"), text))
    plain = pl.col("plain")
    frame = frame.with_columns(
        point=plain.str.find(".", literal=True),
        done=plain.str.contains(PLAIN_NUMBER),
        negative=plain.str.starts_with("-"),
    )
    cut = pl.col("point") + 1 + places
    frame = frame.with_columns(
        kept=pl.when(pl.col("point").is_null()).then(plain).otherwise(plain.str.slice(0, cut)),
        sticky=plain.str.slice(cut).str.contains("[1-9]").fill_null(False),
    )
    read = pl.col("kept").str.to_decimal(scale=places)
    if factor != 1:
        # A product keeps its left side's scale, so that side gets the places the result needs.
        scale = max(0, -int(factor.as_tuple().exponent))
        wide = read.cast(pl.Decimal(38, max(places, SCALE)))
        read = wide * pl.lit(factor, pl.Decimal(38, scale))
    frame = frame.with_columns(value=pl.when("done").then(read.cast(DECIMAL)))
    value, sticky, negative = pl.col("value"), pl.col("sticky"), pl.col("negative")
    wrong = pl.lit(None, pl.String)
    if column.maximum is not None:
        bound = pl.lit(column.maximum, DECIMAL)  # an untyped literal makes comparing slow
        above = (value > bound) | ((value == bound) & sticky & ~negative)
        wrong = pl.when(above).then(pl.lit("above")).otherwise(wrong)
    if column.minimum is not None:
        bound = pl.lit(column.minimum, DECIMAL)
        below = (value < bound) | ((value == bound) & sticky & negative)
        wrong = pl.when(below).then(pl.lit("below")).otherwise(wrong)
    return frame.with_columns(wrong=wrong)


def _integer(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    text = pl.col("text").str.replace_all(",", "", literal=True)
    frame = frame.with_columns(plain=pl.coalesce(pl.col("number"), text))
    plain = pl.col("plain")
    frame = frame.with_columns(
        done=plain.str.contains(PLAIN_INTEGER),
        value=plain.str.replace(r"\..*$", "").cast(pl.Int64, strict=False),
    )
    value = pl.col("value")
    if column.type == "year":
        frame = frame.with_columns(done=pl.col("done") & value.is_between(1949, 2100))
    wrong = pl.lit(None, pl.String)
    if column.minimum is not None:
        wrong = pl.when(value < int(column.minimum)).then(pl.lit("below")).otherwise(wrong)
    return frame.with_columns(wrong=wrong)


def _text(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    # Our exports guard formula-like text with an apostrophe; cells.parse_text takes it off.
    text = pl.col("text")
    value = pl.when(text.str.contains("^'[=+\\-@]")).then(text.str.slice(1)).otherwise(text)
    return _simple(frame, value, text.is_not_null())


def _uscc(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    """Codes checked once per distinct code (a yearly file names each enterprise many times)."""
    codes = frame.select(pl.col("text").unique().drop_nulls())
    codes = codes.with_columns(code=pl.col("text").str.to_uppercase())
    code = pl.col("code")
    total = pl.sum_horizontal(
        code.str.slice(i, 1).replace_strict(_VALUES, default=0, return_dtype=pl.Int64) * weight
        for i, weight in enumerate(WEIGHTS)
    )
    check = ((31 - total % 31) % 31).replace_strict(dict(enumerate(ALPHABET)), default="")
    ascii_only = pl.col("text").str.contains("^[\x00-\x7f]*$")  # str.upper() of others may differ
    codes = codes.with_columns(
        ok=ascii_only & code.str.contains(USCC_SHAPE) & (code.str.slice(17, 1) == check)
    )
    frame = frame.join(codes, on="text", how="left", maintain_order="left")
    return _simple(frame, code, pl.col("ok"))


_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}


def _choice(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    labels: dict[str, str] = {}
    for stored, label in reversed(column.choices):  # the first choice that matches wins
        labels[label] = labels[stored] = stored
    value = pl.col("text").replace_strict(labels, default=None, return_dtype=pl.String)
    if column.type == "bool":
        value = value == "true"
    frame = frame.with_columns(value=value)
    return _simple(frame, pl.col("value"), pl.col("value").is_not_null())


def _list(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    parts = pl.col("text").str.replace_all(LIST_SEPARATOR, "\x00").str.split("\x00")
    value = parts.list.eval(pl.element().filter(pl.element() != ""))
    return _simple(frame, value, pl.col("text").is_not_null())


def _unread(frame: pl.DataFrame, column: Column, factor: Decimal) -> pl.DataFrame:
    """Dates: every cell through the cell parser."""
    return _simple(frame, pl.lit(None, dtype(column)), pl.lit(False))


def _simple(frame: pl.DataFrame, value: pl.Expr, done: pl.Expr) -> pl.DataFrame:
    return frame.with_columns(
        value=pl.when(done).then(value),
        done=done.fill_null(False),
        wrong=pl.lit(None, pl.String),
    )


VECTOR_READERS: dict[str, Reader] = {
    "decimal": _decimal,
    "integer": _integer,
    "year": _integer,
    "text": _text,
    "code": _text,
    "ref": _text,
    "uscc": _uscc,
    "choice": _choice,
    "bool": _choice,
    "list": _list,
}
