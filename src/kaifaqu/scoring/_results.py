"""Results of a run: scores, ranks and grades, every intermediate dataset, and the log."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from ._data import Dataset, UnitData
from ._errors import FrameworkError
from ._framework import Framework
from ._state import Aggregation, RuleRecord, ScreenedUnit
from ._treat import TreatmentRecord

ENGINE_VERSION = "1.1.0"


@dataclass(frozen=True)
class Results:
    """What a pipeline produced.

    ``scores``: every aggregate and the index (indicators if nothing was aggregated), final values;
    ``ranks``: ``"rank"`` (overall) and any named or within-group ranks; ``grades``: label per unit
    for each classify step; ``datasets``: ``Raw``, ``Denominated``, … ``Aggregated`` in order;
    ``log``: steps, parameters, engine version and input hash (see :func:`regenerate`);
    ``aggregation``: per aggregate, its children, the weights used and the method; ``rules``: what
    each bonus, penalty or veto rule did, per unit; ``uncertainty``: per-unit rank and score
    statistics of the index when replications were asked for (:func:`rank_uncertainty`).
    """

    framework: Framework
    scores: Dataset
    ranks: dict[str, Dataset]
    grades: dict[str, np.ndarray]
    datasets: dict[str, Dataset]
    screened_out: tuple[ScreenedUnit, ...]
    treatment: tuple[TreatmentRecord, ...]
    warnings: tuple[str, ...]
    log: dict[str, Any]
    aggregation: dict[str, Aggregation] = field(default_factory=dict)
    rules: tuple[RuleRecord, ...] = ()
    uncertainty: pl.DataFrame | None = None

    @property
    def units(self) -> np.ndarray:
        return self.scores.units

    def score(self, unit: str, code: str) -> float:
        """One unit's final score for one code."""
        return self.scores.value(unit, code)

    def rank(self, unit: str, code: str, name: str = "rank") -> int | None:
        """One unit's rank for one code (None if it has no score)."""
        value = self.ranks[name].value(unit, code)
        return None if np.isnan(value) else int(value)

    def ordered_codes(self) -> list[str]:
        """The scored codes, top level first (the index, then sub-indices, …)."""
        fw = self.framework
        return sorted(self.scores.columns, key=lambda c: -fw.level(c))

    def weights(self, code: str) -> dict[str, float]:
        """The relative weights (summing to 1) with which ``code``'s children were aggregated.

        >>> from kaifaqu.scoring import Framework, Node, Pipeline, UnitData, parse_steps
        >>> fw = Framework([Node("a", parent="T", weight=1), Node("b", parent="T", weight=3),
        ...                 Node("T", "Aggregate")])
        >>> data = UnitData.from_columns(["u", "v"], {"a": [1.0, 2.0], "b": [3.0, 1.0]})
        >>> Pipeline(fw, data, parse_steps([{"kind": "aggregate"}])).run().weights("T")
        {'a': 0.25, 'b': 0.75}
        """
        record = self.aggregation[code]
        total = sum(record.weights)
        return {c: w / total for c, w in zip(record.children, record.weights, strict=True)}

    def weights_table(self) -> pl.DataFrame:
        """``aggregate``, ``child``, ``weight`` (relative) and ``method`` for every aggregate."""
        rows = [
            {"aggregate": code, "child": child, "weight": w, "method": record.method}
            for code, record in self.aggregation.items()
            for child, w in self.weights(code).items()
        ]
        return pl.DataFrame(rows)

    def table(self) -> pl.DataFrame:
        """``uCode``, then ``CODE`` and ``CODE.rank`` for each scored code, then other ranks and
        grades — the layout of ``kaifaqu index run``."""
        columns: dict[str, pl.Series] = {"uCode": pl.Series([str(u) for u in self.units])}
        overall = self.ranks.get("rank")
        for code in self.ordered_codes():
            columns[code] = pl.Series(self.scores.column(code), nan_to_null=True)
            if overall is not None and code in overall.columns:
                columns[f"{code}.rank"] = _int_series(overall.column(code))
        for name, ranks in self.ranks.items():
            if name != "rank":
                for code in ranks.columns:
                    columns[f"{code}.{name}"] = _int_series(ranks.column(code))
        for name, labels in self.grades.items():
            columns[name] = pl.Series(labels.tolist(), dtype=pl.String)
        table = pl.DataFrame(columns)
        if self.uncertainty is not None:
            table = table.join(self.uncertainty, on="uCode", how="left", maintain_order="left")
        return table

    def csv_text(self) -> str:
        """The table as CSV, floats at full precision (their shortest exact form, as Python's
        ``repr`` writes them), missing empty."""
        return self._csv_table().write_csv(null_value="", line_terminator="\n")

    def _csv_table(self) -> pl.DataFrame:
        table = self.table()
        return table.select([_csv_column(table[name]) for name in table.columns])

    def write(self, path: str | os.PathLike[str]) -> None:
        """Export by extension: ``.csv`` / ``.parquet`` the table; ``.xlsx`` the table, every
        dataset, ranks, the treatment record and the log, one sheet each."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":  # by Polars straight to the file: no Python text in between
            self._csv_table().write_csv(path, null_value="", line_terminator="\n")
        elif suffix == ".parquet":
            self.table().write_parquet(path)
        elif suffix == ".xlsx":
            self._write_workbook(path)
        else:
            raise FrameworkError(f"cannot export to {suffix or 'a file without extension'}")

    def _write_workbook(self, path: Path) -> None:
        import xlsxwriter

        sheets = {"Results": self.table()}
        sheets |= {name[:31]: ds.to_polars() for name, ds in self.datasets.items()}
        sheets |= {f"ranks {name}"[:31]: ds.to_polars() for name, ds in self.ranks.items()}
        if self.treatment:
            sheets["Treatment"] = pl.DataFrame([asdict(r) for r in self.treatment])
        if self.rules:
            sheets["Rules"] = pl.DataFrame(
                [{**asdict(r), "before": str(r.before), "after": str(r.after)} for r in self.rules]
            )
        if "weighted" in self.log:
            sheets["Weights"] = self.weights_table()
        sheets["Log"] = pl.DataFrame({"log": json.dumps(self.log, indent=1).splitlines()})
        with xlsxwriter.Workbook(path, {"nan_inf_to_errors": True}) as book:
            for name, frame in sheets.items():
                frame.write_excel(book, worksheet=name, autofit=False)


def _int_series(ranks: np.ndarray) -> pl.Series:
    return pl.Series(ranks, nan_to_null=True).cast(pl.Int64)


def _csv_column(column: pl.Series) -> pl.Series:
    """A column that Polars writes as the text Python's ``str`` (``repr`` for floats) gives each
    cell (100,000 rows: 20× faster than the csv module). Polars writes the same shortest digits
    but its own notation below 1e-4 and from 1e16, so a float column with such a cell is turned
    to text and those few cells take Python's form; any other float column is written as is."""
    if column.dtype.is_float():
        column = column.cast(pl.Float64)  # Python's repr is of the float64 value
        values = column.to_numpy()
        present = column.is_not_null().to_numpy()
        with np.errstate(invalid="ignore"):
            size = np.abs(values)
            python_form = present & (((size < 1e-4) & (size != 0)) | ~(size < 1e16))
        where = np.flatnonzero(python_form)
        if not where.size:
            return column
        return column.cast(pl.String).scatter(where, [repr(float(v)) for v in values[where]])
    if column.dtype == pl.Boolean:
        return column.replace_strict({True: "True", False: "False"}, return_dtype=pl.String)
    if column.dtype == pl.String:
        return column.replace("", None)  # the csv module writes an empty text as nothing
    return column


def input_hash(framework: Framework, data: UnitData) -> str:
    """SHA-256 of the framework and every input value, independent of memory layout."""
    digest = hashlib.sha256()
    digest.update(json.dumps(framework.records(), sort_keys=True).encode())
    digest.update(_labels_bytes(data.codes))
    for j, code in enumerate(data.indicators):
        digest.update(code.encode() + b"\0")
        digest.update(np.ascontiguousarray(data.values[:, j], dtype="<f8").data)
    for name in sorted(data.denominators):
        digest.update(name.encode() + b"\0")
        digest.update(np.ascontiguousarray(data.denominators[name], dtype="<f8").data)
    for name in sorted(data.attributes):
        digest.update(name.encode() + b"\0" + _labels_bytes(data.attributes[name]))
    return "sha256:" + digest.hexdigest()


def _labels_bytes(labels: np.ndarray) -> bytes:
    if labels.dtype.kind in "iu":
        return np.ascontiguousarray(labels, dtype="<i8").tobytes()
    values = labels.tolist()
    try:  # all text or all whole numbers: the same bytes, joined in Polars (1M codes: 10× faster)
        series = pl.Series(values, strict=True)
    except (TypeError, OverflowError, pl.exceptions.PolarsError):
        series = None
    if series is not None and series.dtype in (pl.String, pl.Int64):
        joined = series.cast(pl.String).fill_null("\x1e").str.join("\x1f").item()
        return (joined or "").encode()
    return "\x1f".join("\x1e" if v is None else str(v) for v in values).encode()
