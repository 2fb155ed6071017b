"""Units and datasets: a units × columns float64 matrix (NaN = missing) with its labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from ._errors import DataError, FrameworkError

FloatMatrix = np.ndarray
Labels = np.ndarray  # an object array of str, or None for a missing label


@dataclass(frozen=True)
class UnitData:
    """The units table (COINr's ``iData``): codes, indicator values, denominators and groups.

    ``values`` has one row per unit and one column per indicator, in ``indicators`` order;
    ``attributes`` holds every other column as text (groups, pools, names, ``Time``).

    >>> region = {"region": ["e", "w"]}
    >>> data = UnitData.from_columns(["A", "B"], {"x": [1.0, None]}, attributes=region)
    >>> data.values.tolist(), data.attributes["region"].tolist()
    ([[1.0], [nan]], ['e', 'w'])
    """

    codes: Labels
    indicators: tuple[str, ...]
    values: FloatMatrix
    denominators: Mapping[str, np.ndarray] = field(default_factory=dict)
    attributes: Mapping[str, Labels] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.values.shape != (len(self.codes), len(self.indicators)):
            raise FrameworkError("values must have one row per unit and one column per indicator")
        codes = self.codes.tolist()
        if len(set(codes)) == len(codes) and None not in codes and "" not in codes:
            return
        seen: set[object] = set()
        for code in codes:
            if code is None or code == "":
                raise FrameworkError("a unit has no uCode", column="uCode")
            if code in seen:
                raise DataError("duplicate uCode", unit=str(code))
            seen.add(code)

    @classmethod
    def from_columns(
        cls,
        codes: Sequence[str] | np.ndarray,
        indicators: Mapping[str, Sequence[float | None] | np.ndarray],
        *,
        denominators: Mapping[str, Sequence[float | None] | np.ndarray] | None = None,
        attributes: Mapping[str, Sequence[str | None] | np.ndarray] | None = None,
    ) -> UnitData:
        """Build from plain columns (``None`` or NaN = missing)."""
        n = len(codes)
        matrix = np.empty((n, len(indicators)), dtype=np.float64, order="F")
        for j, column in enumerate(indicators.values()):
            matrix[:, j] = _floats(column)
        return cls(
            codes=np.asarray(codes, dtype=object),
            indicators=tuple(indicators),
            values=matrix,
            denominators={k: _floats(v) for k, v in (denominators or {}).items()},
            attributes={k: _labels(v) for k, v in (attributes or {}).items()},
        )

    def attribute(self, name: str) -> Labels:
        """A group/attribute column; a ``FrameworkError`` naming the column if there is none."""
        if name not in self.attributes:
            raise FrameworkError(f"the units table has no column {name!r}", column=name)
        return self.attributes[name]


def _floats(column: Sequence[float | None] | np.ndarray) -> np.ndarray:
    return (
        np.array([np.nan if v is None else v for v in column], dtype=np.float64)
        if (not isinstance(column, np.ndarray))
        else column.astype(np.float64, copy=False)
    )


def _labels(column: Sequence[str | None] | np.ndarray) -> Labels:
    # integer group codes stay integers: grouping them needs no string work
    if isinstance(column, np.ndarray) and column.dtype.kind in "iu":
        return column
    return np.asarray(column, dtype=object)


@dataclass(frozen=True)
class Dataset:
    """One stage of the pipeline: unit codes × column codes, full precision, NaN for missing.

    >>> ds = Dataset("Raw", np.array(["A"], dtype=object), ("x",), np.array([[2.5]]))
    >>> ds.value("A", "x")
    2.5
    """

    name: str
    units: Labels
    columns: tuple[str, ...]
    values: FloatMatrix

    def column(self, code: str) -> np.ndarray:
        """One column's values, in unit order."""
        return self.values[:, self.columns.index(code)]

    def value(self, unit: str, code: str) -> float:
        """The value of one unit and one column."""
        rows = np.flatnonzero(self.units == unit)
        if rows.size == 0:
            raise DataError(f"no unit {unit!r} in dataset {self.name}", unit=unit)
        return float(self.values[rows[0], self.columns.index(code)])

    def to_polars(self) -> pl.DataFrame:
        """``uCode`` then one Float64 column per code, missing as null."""
        data: dict[str, pl.Series] = {"uCode": pl.Series("uCode", self.units.tolist(), pl.String)}
        for j, code in enumerate(self.columns):
            data[code] = pl.Series(code, self.values[:, j], nan_to_null=True)
        return pl.DataFrame(data)
