"""The output of Monte Carlo replications: per-unit statistics of the index's rank and score, and
each replication's ranks and scores streamed to Parquet, in memory bounded by a batch.

Replications arrive in blocks (a batch of replications, every unit). Each block is appended to a
temporary file and, on request, to the Parquet file; the statistics are then computed a slice of
units at a time, read back from the temporary file. So 100,000 units × 1,000 replications never
sit in memory at once: a block holds units × batch, a slice rows × replications.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl
from polars.io.plugins import register_io_source

from ._errors import FrameworkError

# numpy's name of each of R's nine quantile types (Hyndman & Fan 1996); "linear" is R's default
# type 7, the one COINr reports.
QUANTILE_METHODS = {
    "inverted_cdf": 1,
    "averaged_inverted_cdf": 2,
    "closest_observation": 3,
    "interpolated_inverted_cdf": 4,
    "hazen": 5,
    "weibull": 6,
    "linear": 7,
    "median_unbiased": 8,
    "normal_unbiased": 9,
}
SLICE_BYTES = 64 * 2**20  # one slice of units × replications, ranks and scores together
REPLICATIONS_SCHEMA = pl.Schema(
    {"replication": pl.Int32, "uCode": pl.String, "rank": pl.Int32, "score": pl.Float64}
)


@dataclass(frozen=True)
class Block:
    """Some replications' results: their numbers (0-based) and, per unit (rows, in input order)
    and replication (columns), the index's rank and score (NaN where the unit was screened out)."""

    replications: np.ndarray
    ranks: np.ndarray
    scores: np.ndarray


def quantile_label(q: float) -> str:
    """The column suffix of a quantile: ``p05`` for 0.05, ``p97.5`` for 0.975.

    >>> [quantile_label(q) for q in (0.05, 0.5, 0.975)]
    ['p05', 'p50', 'p97.5']
    """
    percent = round(q * 100, 10)
    return f"p{int(percent):02d}" if percent.is_integer() else f"p{percent:g}"


def check_quantiles(quantiles: Sequence[float], method: str, where: str) -> None:
    if method not in QUANTILE_METHODS:
        raise FrameworkError(
            f"quantile_method must be one of {', '.join(QUANTILE_METHODS)}",
            source=where,
            column="quantile_method",
        )
    if not all(0 <= q <= 1 for q in quantiles):
        raise FrameworkError("quantiles must lie in [0, 1]", source=where, column="quantiles")


def statistics(values: np.ndarray, quantiles: Sequence[float], method: str) -> np.ndarray:
    """Per row: mean, median and ``quantiles`` of the non-missing values (NaN if there is none).

    The median is the usual one (the middle two averaged), whatever ``method``.

    >>> statistics(np.array([[3.0, 1, 4, 1, 5]]), (0.05, 0.6, 0.95), "linear").tolist()
    [[2.8, 3.0, 1.0, 3.4, 4.8]]
    >>> statistics(np.array([[3.0, 1, 4, 1, 5]]), (0.6, 0.95), "inverted_cdf")[:, 2:].tolist()
    [[3.0, 5.0]]
    >>> statistics(np.array([[np.nan, 2, np.nan, 4], [np.nan] * 4]), (0.5,), "linear").tolist()
    [[3.0, 3.0, 3.0], [nan, nan, nan]]
    """
    out = np.full((values.shape[0], 2 + len(quantiles)), np.nan)
    counts = (~np.isnan(values)).sum(axis=1)
    # rows with the same number of values at once (NumPy's nan-functions go row by row)
    for count in np.unique(counts[counts > 0]):
        rows = np.flatnonzero(counts == count)
        present = values[rows]
        if count < values.shape[1]:
            present = np.sort(present, axis=1)[:, :count]  # NaN sorts last
        out[rows, 0] = present.mean(axis=1)
        out[rows, 1] = np.median(present, axis=1)
        if quantiles:
            found = np.quantile(present, list(quantiles), axis=1, method=method)  # type: ignore[call-overload]
            out[rows, 2:] = found.T
    return out


class Spill:
    """Blocks appended to a temporary file (units × batch, ranks then scores), read back a slice
    of units × every replication at a time."""

    def __init__(self, file: IO[bytes], units: int, replications: int) -> None:
        self.file, self.units, self.replications = file, units, replications
        self.blocks: list[tuple[int, np.ndarray]] = []

    def add(self, block: Block) -> None:
        self.file.seek(0, os.SEEK_END)
        self.blocks.append((self.file.tell(), block.replications))
        self.file.write(np.ascontiguousarray(block.ranks, dtype="<f8").tobytes())
        self.file.write(np.ascontiguousarray(block.scores, dtype="<f8").tobytes())

    def slices(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Ranks and scores of consecutive slices of units, every replication in order."""
        rows = max(1, SLICE_BYTES // (16 * self.replications))
        for start in range(0, self.units, rows):
            stop = min(start + rows, self.units)
            ranks = np.empty((stop - start, self.replications))
            scores = np.empty_like(ranks)
            for offset, columns in self.blocks:
                width = columns.size
                ranks[:, columns] = self._read(offset, start, stop, width)
                scores[:, columns] = self._read(offset + self.units * width * 8, start, stop, width)
            yield ranks, scores

    def _read(self, offset: int, start: int, stop: int, width: int) -> np.ndarray:
        self.file.seek(offset + start * width * 8)
        data = self.file.read((stop - start) * width * 8)
        return np.frombuffer(data, dtype="<f8").reshape(stop - start, width)


def summary_table(
    codes: pl.Series,
    index: str,
    spill: Spill,
    quantiles: Sequence[float],
    method: str,
) -> pl.DataFrame:
    """``uCode``, then ``INDEX.rank.mean``, ``.median``, ``.pNN``…, then the same for ``score``."""
    labels = ["mean", "median", *(quantile_label(q) for q in quantiles)]
    ranks, scores = [], []
    for rank_slice, score_slice in spill.slices():
        ranks.append(statistics(rank_slice, quantiles, method))
        scores.append(statistics(score_slice, quantiles, method))
    columns: dict[str, pl.Series] = {"uCode": codes}
    for what, parts in (("rank", ranks), ("score", scores)):
        values = np.concatenate(parts) if parts else np.empty((0, len(labels)))
        for j, label in enumerate(labels):
            name = f"{index}.{what}.{label}"
            columns[name] = pl.Series(name, values[:, j], nan_to_null=True)
    return pl.DataFrame(columns)


def replications_frame(codes: pl.Series, block: Block) -> pl.DataFrame:
    """A block in long form: ``replication`` (1-based, as COINr numbers them), ``uCode``,
    ``rank`` and ``score`` (null where the unit was screened out), replication by replication."""
    units, width = block.ranks.shape
    return pl.DataFrame(
        {
            "replication": np.repeat(block.replications + 1, units).astype(np.int32),
            "uCode": codes.gather(np.tile(np.arange(units), width)),
            "rank": pl.Series(block.ranks.T.ravel(), nan_to_null=True).cast(pl.Int32),
            "score": pl.Series(block.scores.T.ravel(), nan_to_null=True),
        },
        schema=REPLICATIONS_SCHEMA,
    )


def parameters_path(path: str | os.PathLike[str]) -> Path:
    """Where the sampled parameters go beside a replications file: ``x.parquet`` →
    ``x.parameters.parquet``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.parameters.parquet")


def stream(
    blocks: Iterable[Block],
    keep: Callable[[Block], None],
    codes: pl.Series,
    path: str | os.PathLike[str] | None,
) -> None:
    """Hand every block to ``keep`` and, if ``path`` is given, append it to that Parquet file
    as it comes (Polars' streaming sink pulls the blocks; none is kept after it is written)."""
    if path is None:
        for block in blocks:
            keep(block)
        return
    if Path(path).suffix.lower() != ".parquet":
        raise FrameworkError("the replications file must be .parquet (xlsx holds ~1M rows)")
    failure: list[BaseException] = []

    def frames(*_: object) -> Iterator[pl.DataFrame]:
        try:
            for block in blocks:
                keep(block)
                yield replications_frame(codes, block)
        except Exception as error:  # re-raised below as itself, not as Polars' wrapping
            failure.append(error)
            raise

    try:
        register_io_source(frames, schema=REPLICATIONS_SCHEMA).sink_parquet(Path(path))
    except Exception:
        if failure:
            raise failure[0] from None
        raise
