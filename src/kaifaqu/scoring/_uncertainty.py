"""Uncertainty and sensitivity analysis (METHODS §2, §3): Monte Carlo over declared choices.

Each choice is driven by uniform numbers in [0, 1): a weight choice by one per weight it
perturbs, a step choice (alternative normalisation, winsorisation limit, imputation, aggregation)
by one that picks an option. Replications that pick the same options share one run of the steps
before aggregation; their weights are then aggregated for all replications at once (matrices of
units × replications) wherever the aggregation is a weighted mean, else one replication at a time.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from ._errors import FrameworkError
from ._framework import Framework
from ._ranking import competition_ranks
from ._replications import (
    Block,
    Spill,
    check_quantiles,
    parameters_path,
    stream,
    summary_table,
)
from ._rounding import round_half_up
from ._state import State
from ._steps import Aggregate, Rank, Round, Rule, Step, Weight, parse_step, tie_values
from ._weights import DATA_DRIVEN

if TYPE_CHECKING:
    from ._pipeline import Pipeline

DEFAULT_SEED = 1
DEFAULT_QUANTILES = (0.05, 0.95)
DEFAULT_QUANTILE_METHOD = "linear"
UNCERTAINTY_KEYS = ("seed", "choice", "quantiles", "quantile_method")
BATCH_BYTES = 128 * 2**20  # one batch of replications: units × batch for each aggregate
VECTOR_METHODS = ("arithmetic", "geometric", "harmonic", "sum")


@dataclass(frozen=True)
class WeightNoise:
    """Every weight of the nodes at ``levels`` (all if None) times U(1 − spread, 1 + spread),
    rescaled to keep each parent's total. ``levels`` means what COINr's
    ``get_noisy_weights(Level = …)`` means: the level whose weights are perturbed (1 the
    indicators' weights within their parents, 2 the weights of the level-2 aggregates, …)."""

    name: str
    spread: float
    levels: tuple[int, ...] | None = None


@dataclass(frozen=True)
class StepOptions:
    """One step's parameters replaced by one of ``options`` (each a dict of its keys), chosen
    with equal probability; ``step`` is the step's kind (if unique) or its position (1-based)."""

    name: str
    step: str | int
    options: tuple[Mapping[str, Any], ...]


Choice = WeightNoise | StepOptions


@dataclass(frozen=True)
class Uncertainty:
    """The declared uncertain choices, the seed of the random draws, and the quantiles reported
    beside the mean and median (``quantile_method``: numpy's name of one of R's nine types,
    ``"linear"`` = R's default type 7, as COINr reports; ``"inverted_cdf"`` = type 1)."""

    choices: tuple[Choice, ...] = ()
    seed: int = DEFAULT_SEED
    quantiles: tuple[float, ...] = DEFAULT_QUANTILES
    quantile_method: str = DEFAULT_QUANTILE_METHOD

    def __post_init__(self) -> None:
        check_quantiles(self.quantiles, self.quantile_method, "[uncertainty]")


def parse_uncertainty(raw: Mapping[str, Any], source: str | None = None) -> Uncertainty:
    """The ``[uncertainty]`` table: ``seed`` and ``[[uncertainty.choice]]`` entries.

    >>> parse_uncertainty({"seed": 7, "choice": [{"kind": "weights", "spread": 0.25}]}).choices
    (WeightNoise(name='weights', spread=0.25, levels=None),)
    """
    where = f"{source} [uncertainty]" if source else "[uncertainty]"
    for key in raw:
        if key not in UNCERTAINTY_KEYS:
            raise FrameworkError(f"unknown key {key!r}", source=where, column=key)
    choices = tuple(_choice(entry, i, where) for i, entry in enumerate(raw.get("choice", []), 1))
    names = [c.name for c in choices]
    if len(set(names)) != len(names):
        raise FrameworkError("two choices have the same name", source=where, column="name")
    quantiles = tuple(float(q) for q in raw.get("quantiles", DEFAULT_QUANTILES))
    method = str(raw.get("quantile_method", DEFAULT_QUANTILE_METHOD))
    check_quantiles(quantiles, method, where)
    return Uncertainty(choices, int(raw.get("seed", DEFAULT_SEED)), quantiles, method)


def _choice(entry: Mapping[str, Any], row: int, where: str) -> Choice:
    kind = entry.get("kind")
    allowed = {
        "weights": {"kind", "name", "spread", "levels"},
        "step": {"kind", "name", "step", "options"},
    }
    if kind not in allowed:
        raise FrameworkError(
            'kind must be "weights" or "step"', source=where, row=row, column="kind"
        )
    for key in entry:
        if key not in allowed[kind]:
            raise FrameworkError(
                f"{kind} choice has no key {key!r}", source=where, row=row, column=key
            )
    if kind == "weights":
        spread = float(entry.get("spread", 0.25))
        if not 0 <= spread < 1:
            raise FrameworkError("spread must be in [0, 1)", source=where, row=row, column="spread")
        levels = entry.get("levels")
        if levels is not None and (
            not isinstance(levels, list)
            or not levels
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in levels)
        ):
            raise FrameworkError(
                "levels must be a non-empty list of whole numbers (leave it out for every level)",
                source=where,
                row=row,
                column="levels",
            )
        return WeightNoise(entry.get("name", "weights"), spread, tuple(levels) if levels else None)
    options = entry.get("options")
    if not options or not all(isinstance(o, Mapping) for o in options):
        raise FrameworkError(
            "options must be a list of tables", source=where, row=row, column="options"
        )
    if "step" not in entry:
        raise FrameworkError(
            "name the step: its kind or position", source=where, row=row, column="step"
        )
    return StepOptions(entry.get("name", str(entry["step"])), entry["step"], tuple(options))


# -- sampling ---------------------------------------------------------------------------------


@dataclass
class _Design:
    """Where each choice's uniform numbers sit in a row of the sample matrix."""

    pipeline: Pipeline
    choices: tuple[Choice, ...]
    columns: list[slice] = field(default_factory=list)
    # per choice: each aggregate with a perturbed child, and which of its children are perturbed
    perturbed: list[list[tuple[str, np.ndarray]]] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # per choice: step index (-1 for weights)

    def __post_init__(self) -> None:
        fw = self.pipeline.framework
        start = 0
        for choice in self.choices:
            if isinstance(choice, WeightNoise):
                perturbed = _perturbed(fw, choice)
                width = sum(int(mask.sum()) for _, mask in perturbed)
                self.perturbed.append(perturbed)
                self.positions.append(-1)
            else:
                width = 1
                self.perturbed.append([])
                self.positions.append(_step_position(self.pipeline.steps, choice.step))
                for option in choice.options:  # refuse a bad option before any run
                    _replaced(self.pipeline.steps, self.positions[-1], option)
            self.columns.append(slice(start, start + width))
            start += width
        self.width = start

    def options(self, u: np.ndarray) -> np.ndarray:
        """The option picked by each step choice in each row (replications × step choices)."""
        picks = [
            np.minimum((u[:, cols.start] * len(c.options)).astype(np.int64), len(c.options) - 1)
            for c, cols in zip(self.choices, self.columns, strict=True)
            if isinstance(c, StepOptions)
        ]
        return np.stack(picks, axis=1) if picks else np.zeros((u.shape[0], 0), dtype=np.int64)

    def noise(self, u: np.ndarray) -> dict[str, np.ndarray]:
        """Weight multipliers per perturbed aggregate: children × replications."""
        out: dict[str, np.ndarray] = {}
        for choice, cols, perturbed in zip(self.choices, self.columns, self.perturbed, strict=True):
            if not isinstance(choice, WeightNoise):
                continue
            offset = cols.start
            for code, mask in perturbed:
                k = int(mask.sum())
                block = np.ones((mask.size, u.shape[0]))
                block[mask] = _multipliers(choice, u[:, offset : offset + k].T)
                out[code] = out.get(code, 1.0) * block
                offset += k
        return out

    def parameters(self, u: np.ndarray) -> pl.DataFrame:
        """What each replication drew: ``replication`` (1-based), per step choice the option
        picked (as JSON), per weight choice ``CHOICE.CODE`` the factor of each perturbed weight
        (before each parent's total is restored)."""
        fw = self.pipeline.framework
        columns: dict[str, Any] = {"replication": np.arange(1, u.shape[0] + 1, dtype=np.int32)}
        picks = iter(self.options(u).T)
        for choice, cols, perturbed in zip(self.choices, self.columns, self.perturbed, strict=True):
            if isinstance(choice, StepOptions):
                texts = [json.dumps(dict(o), ensure_ascii=False) for o in choice.options]
                columns[choice.name] = [texts[i] for i in next(picks)]
                continue
            offset = cols.start
            for code, mask in perturbed:
                for child in np.array(fw.children(code), dtype=object)[mask]:
                    columns[f"{choice.name}.{child}"] = _multipliers(choice, u[:, offset])
                    offset += 1
        return pl.DataFrame(columns)

    def steps(self, picks: Sequence[int]) -> tuple[Step, ...]:
        steps = list(self.pipeline.steps)
        step_choices = [(c, p) for c, p in zip(self.choices, self.positions, strict=True) if p >= 0]
        for (choice, position), pick in zip(step_choices, picks, strict=True):
            assert isinstance(choice, StepOptions)
            steps[position] = _replaced(steps, position, choice.options[pick])
        return tuple(steps)


def _multipliers(choice: WeightNoise, u: np.ndarray) -> np.ndarray:
    """U(1 − spread, 1 + spread) from uniform numbers in [0, 1)."""
    return 1 + choice.spread * (2 * u - 1)


def _perturbed(fw: Framework, choice: WeightNoise) -> list[tuple[str, np.ndarray]]:
    """Each aggregate with a child whose weight ``choice`` perturbs, and the mask of those
    children; a level without weights (the index's, or one the framework lacks) is refused."""
    weighted = sorted({fw.level(c) for a in fw.aggregates for c in fw.children(a)})
    for level in choice.levels or ():
        if level not in weighted:
            raise FrameworkError(
                f"{choice.name}: level {level} has no weights to perturb "
                f"(levels with weights: {', '.join(map(str, weighted))})",
                column="levels",
            )
    out = []
    for code in fw.aggregates:
        mask = np.array(
            [choice.levels is None or fw.level(c) in choice.levels for c in fw.children(code)]
        )
        if mask.any():
            out.append((code, mask))
    return out


def _step_position(steps: Sequence[Step], which: str | int) -> int:
    if isinstance(which, int):
        if not 1 <= which <= len(steps):
            raise FrameworkError(f"there is no step {which}", column="step")
        return which - 1
    found = [i for i, s in enumerate(steps) if s.kind == which]
    if len(found) != 1:
        raise FrameworkError(
            f"{len(found)} steps of kind {which!r}: name the step by its position", column="step"
        )
    return found[0]


def _replaced(steps: Sequence[Step], position: int, option: Mapping[str, Any]) -> Step:
    return parse_step({**steps[position].params(), **option}, position + 1, "uncertainty option")


# -- evaluation -------------------------------------------------------------------------------


def _index(pipeline: Pipeline) -> str:
    index = pipeline.framework.index
    if index is None:
        raise FrameworkError("uncertainty needs a framework with a single index")
    return index


def index_ranks(pipeline: Pipeline, u: np.ndarray) -> np.ndarray:
    """The index's rank of every unit (rows, in input order; NaN if screened out) in each
    replication (columns), the choices set by the rows of ``u`` (replications × design width)."""
    design = _Design(pipeline, pipeline.uncertainty.choices if pipeline.uncertainty else ())
    ranks = np.full((pipeline.data.codes.size, u.shape[0]), np.nan)
    for block in replication_blocks(pipeline, design, u, u.shape[0]):
        ranks[:, block.replications] = block.ranks
    return ranks


def replication_blocks(
    pipeline: Pipeline, design: _Design, u: np.ndarray, batch: int
) -> Iterator[Block]:
    """The replications set by the rows of ``u``, at most ``batch`` at a time. Replications
    picking the same step options share one run of the steps before ``aggregate``."""
    picks = design.options(u)
    noise = design.noise(u)
    units = pipeline.data.codes.size
    keys, group_of = np.unique(picks, axis=0, return_inverse=True)
    for g, key in enumerate(keys):
        columns = np.flatnonzero(group_of.ravel() == g)
        prepared = _Prepared.run(pipeline, design.steps(key.tolist()))
        for start in range(0, columns.size, batch):
            chunk = columns[start : start + batch]
            ranks, scores = prepared.replicate(
                {code: m[:, chunk] for code, m in noise.items()}, chunk.size
            )
            yield Block(
                chunk, _full(units, prepared.rows, ranks), _full(units, prepared.rows, scores)
            )


def _rows(codes: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """Where the kept units are in the input (steps keep the input's order). By lookup: np.isin
    on object arrays compares pairwise (0.9 s at 10,000 units, quadratic)."""
    if kept.size == codes.size:
        return np.arange(codes.size)
    position = {code: i for i, code in enumerate(codes.tolist())}
    return np.array([position[code] for code in kept.tolist()], dtype=np.int64)


def _full(units: int, rows: np.ndarray, values: np.ndarray) -> np.ndarray:
    out = np.full((units, values.shape[1]), np.nan)
    out[rows] = values
    return out


@dataclass(frozen=True)
class _Prepared:
    """One set of steps run up to ``aggregate``: the state each replication continues from."""

    state: State
    rows: np.ndarray  # of the units kept, in the input
    aggregate: Aggregate
    after: tuple[Step, ...]

    @classmethod
    def run(cls, pipeline: Pipeline, steps: tuple[Step, ...]) -> _Prepared:
        at = next((i for i, s in enumerate(steps) if isinstance(s, Aggregate)), None)
        if at is None:
            raise FrameworkError("uncertainty needs an aggregate step")
        state = State.start(pipeline.framework, pipeline.data)
        for step in steps[:at]:
            step.apply(state)
        rows = _rows(pipeline.data.codes, state.units)
        aggregate = steps[at]
        assert isinstance(aggregate, Aggregate)
        return cls(state, rows, aggregate, steps[at + 1 :])

    def replicate(self, noise: dict[str, np.ndarray], count: int) -> tuple[np.ndarray, np.ndarray]:
        """The index's ranks and final scores of the kept units × ``count`` replications, given
        each replication's weight multipliers."""
        if _vectorisable(self.state, self.aggregate, self.after):
            return _vectorised(self.state, self.aggregate, self.after, noise, count)
        ranks = np.empty((self.state.units.size, count))
        scores = np.empty_like(ranks)
        for r in range(count):
            run = self.state.fork()
            run.weight_noise = {code: m[:, r] for code, m in noise.items()}
            for step in (self.aggregate, *self.after):
                step.apply(run)
            score = run.values[:, [run.index_of(_index_of(run))]]
            ranks[:, r] = _rank(run, self.after, score)[:, 0]
            scores[:, r] = score[:, 0]
        return ranks, scores


def _index_of(state: State) -> str:
    index = state.framework.index
    assert index is not None
    return index


def _vectorisable(state: State, aggregate: Aggregate, after: Sequence[Step]) -> bool:
    fw = state.framework
    for code in fw.aggregates:
        if aggregate.by_level.get(fw.level(code), aggregate.method) not in VECTOR_METHODS:
            return False
        method, _ = state.weighting.get(code, ("manual", None))
        if method in DATA_DRIVEN and fw.level(code) > 2:
            return False  # weights from children's scores, which differ per replication
    simple = (Round, Rank, Rule)
    return all(isinstance(s, simple) or s.kind == "classify" for s in after) and not any(
        isinstance(s, Weight) for s in after
    )


def _vectorised(
    state: State,
    aggregate: Aggregate,
    after: Sequence[Step],
    noise: dict[str, np.ndarray],
    count: int,
) -> tuple[np.ndarray, np.ndarray]:
    fw = state.framework
    nominal = state.fork()
    aggregate.apply(nominal)  # the weights each aggregate uses, data-driven ones included
    scores: dict[str, np.ndarray] = {
        code: state.indicators()[:, [j]] for j, code in enumerate(fw.indicators)
    }
    for code in fw.aggregates:
        record = nominal.aggregation[code]
        weights = np.array(record.weights)[:, None] * np.ones((1, count))
        if code in noise:
            noisy = weights * noise[code]
            weights = noisy * (_column_sums(weights) / _column_sums(noisy))
        scores[code] = _mean_many([scores[c] for c in record.children], weights, record.method)
    index = _index_of(state)
    score = scores[index]
    for step in after:
        if isinstance(step, Round) and (step.codes is None or index in step.codes):
            score = round_half_up(score, step.digits)
        elif (
            isinstance(step, Rule)
            and step.action in ("bonus", "penalty")
            and step.target(nominal) == index
        ):
            score = score + step.amounts(nominal)[:, None]
    score = np.broadcast_to(score, (state.units.size, count))
    return _rank(nominal, after, score), score


def _column_sums(matrix: np.ndarray) -> np.ndarray:
    """Row after row, so a column's sum is the same whatever the number of columns (NumPy sums
    a single contiguous column pairwise, in another order)."""
    return functools.reduce(np.add, matrix)


def _mean_many(children: list[np.ndarray], weights: np.ndarray, method: str) -> np.ndarray:
    """Weighted means of children (each units × 1 or × R) with weights children × R; missing
    children are dropped and the weights of the rest renormalised, as in ``aggregate``."""
    total = numerator = None
    for x, w in zip(children, weights, strict=True):
        present = ~np.isnan(x)
        weight = np.where(present, w[None, :], 0.0)
        if method in ("arithmetic", "sum"):
            term = weight * np.where(present, x, 0.0)
        elif method == "geometric":
            term = weight * np.log(np.where(present, x, 1.0))
        else:
            term = weight / np.where(present, x, 1.0)
        numerator = term if numerator is None else numerator + term
        total = weight if total is None else total + weight
    assert numerator is not None
    assert total is not None
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "sum":
            score = numerator
        elif method == "arithmetic":
            score = numerator / total
        elif method == "geometric":
            score = np.exp(numerator / total)
        else:
            score = total / numerator
    return np.where(total > 0, score, np.nan)


def _rank(state: State, after: Sequence[Step], scores: np.ndarray) -> np.ndarray:
    """Ranks of the index as the pipeline's ``rank`` step gives them (overall if it has none)."""
    spec = next((s for s in after if isinstance(s, Rank) and (s.name or "rank") == "rank"), None)
    if spec is None:
        return competition_ranks(np.ascontiguousarray(scores))
    ties = [tie_values(state, c) for c in spec.tie_break]
    groups = state.group(spec.within)[0] if spec.within else None
    return competition_ranks(np.ascontiguousarray(scores), tie_break=ties, groups=groups)


# -- reports ----------------------------------------------------------------------------------


def _design_width(pipeline: Pipeline) -> tuple[_Design, np.random.Generator]:
    spec = pipeline.uncertainty
    if spec is None or not spec.choices:
        raise FrameworkError("the pipeline declares no uncertain choices ([uncertainty] table)")
    return _Design(pipeline, spec.choices), np.random.default_rng(spec.seed)


def rank_uncertainty(
    pipeline: Pipeline,
    replications: int,
    *,
    replications_file: str | os.PathLike[str] | None = None,
) -> pl.DataFrame:
    """Per unit, over ``replications`` seeded Monte Carlo replications of the declared choices:
    the mean, median and the ``[uncertainty]`` quantiles (default 5th and 95th, R's type 7) of
    the index's rank and of its score. A unit screened out in some replications counts the others.

    Columns ``uCode``, ``INDEX.rank.mean``, ``INDEX.rank.median``, ``INDEX.rank.p05``,
    ``INDEX.rank.p95``, then the same for ``INDEX.score``. With ``replications_file``
    (``.parquet``), each replication's ranks and scores are streamed there (``replication``,
    ``uCode``, ``rank``, ``score``) and the sampled parameters written beside it
    (``NAME.parameters.parquet``); memory stays bounded by a batch of replications.
    """
    if replications < 1:
        raise FrameworkError("replications must be 1 or more")
    design, rng = _design_width(pipeline)
    u = rng.random((replications, design.width))
    spec = pipeline.uncertainty
    assert spec is not None
    index = _index(pipeline)
    codes = pl.Series("uCode", [str(c) for c in pipeline.data.codes], dtype=pl.String)
    blocks = replication_blocks(pipeline, design, u, _batch(pipeline))
    with tempfile.TemporaryFile() as file:
        spill = Spill(file, codes.len(), replications)
        stream(blocks, spill.add, codes, replications_file)
        table = summary_table(codes, index, spill, spec.quantiles, spec.quantile_method)
    if replications_file is not None:
        design.parameters(u).write_parquet(parameters_path(replications_file))
    return table


def _batch(pipeline: Pipeline) -> int:
    """Replications per batch: the aggregates' units × batch matrices within ``BATCH_BYTES``."""
    per_replication = pipeline.data.codes.size * 8 * (len(pipeline.framework.aggregates) + 6)
    return max(1, BATCH_BYTES // max(per_replication, 1))


def sobol_indices(
    f_a: np.ndarray, f_b: np.ndarray, f_ab: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """First-order (Saltelli 2010) and total (Jansen 1999) Sobol indices from a Saltelli design:
    outputs on A, on B, and on each A_B(i) (A with factor i's columns from B).

    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.random((50_000, 2)), rng.random((50_000, 2))
    >>> f = lambda x: 2 * x[:, 0] + x[:, 1]
    >>> ab = [np.where(np.arange(2) == i, b, a) for i in range(2)]
    >>> first, total = sobol_indices(f(a), f(b), [f(m) for m in ab])
    >>> first.round(1).tolist(), total.round(1).tolist()
    ([0.8, 0.2], [0.8, 0.2])
    """
    variance = float(np.var(np.concatenate([f_a, f_b])))
    if variance == 0:
        zeros = np.zeros(len(f_ab))
        return zeros, zeros.copy()
    first = np.array([np.mean(f_b * (f - f_a)) for f in f_ab]) / variance
    total = np.array([np.mean((f_a - f) ** 2) / 2 for f in f_ab]) / variance
    return first, total


def sensitivity(pipeline: Pipeline, samples: int) -> pl.DataFrame:
    """Sobol indices of each declared choice for the index's mean absolute rank shift (from the
    nominal run), from a Saltelli design of ``samples`` × (k + 2) replications for k choices.

    Columns ``choice``, ``first_order``, ``total``; one row per choice, in declared order.
    """
    if samples < 2:
        raise FrameworkError("sensitivity needs at least 2 samples")
    design, rng = _design_width(pipeline)
    a, b = rng.random((samples, design.width)), rng.random((samples, design.width))
    blocks = [a, b]
    for cols in design.columns:
        ab = a.copy()
        ab[:, cols] = b[:, cols]
        blocks.append(ab)
    ranks = index_ranks(pipeline, np.concatenate(blocks))
    nominal = _nominal_ranks(pipeline)
    with np.errstate(invalid="ignore"):
        shift = np.nanmean(np.abs(ranks - nominal[:, None]), axis=0)
    outputs = shift.reshape(len(blocks), samples)
    first, total = sobol_indices(outputs[0], outputs[1], list(outputs[2:]))
    return pl.DataFrame(
        {"choice": [c.name for c in design.choices], "first_order": first, "total": total}
    )


def _nominal_ranks(pipeline: Pipeline) -> np.ndarray:
    results = pipeline.run()
    nominal = np.full(pipeline.data.codes.size, np.nan)
    rows = _rows(pipeline.data.codes, results.units)
    nominal[rows] = (
        results.ranks["rank"].column(_index(pipeline)) if "rank" in results.ranks else np.nan
    )
    return nominal
