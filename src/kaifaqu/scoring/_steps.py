"""The pipeline's steps: one dataclass per ``kind``; its fields are the step's TOML keys."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from . import _normalise as norm
from ._aggregate import METHODS as AGGREGATE_METHODS
from ._aggregate import aggregate
from ._data import Dataset
from ._errors import DataError, FrameworkError
from ._grading import ROUNDING, grade_by_quota, grade_by_thresholds, labels
from ._groups import MISSING
from ._impute import column_statistic, group_means, group_medians
from ._mcda import TOPSIS_NORMALISATIONS
from ._ranking import competition_ranks
from ._rounding import round_half_up
from ._rules import ACTIONS, GRADE_ACTIONS, condition, moved_grade, numbers
from ._state import Aggregation, RuleRecord, ScreenedUnit, State
from ._treat import Thresholds, log_fallback, treat_column
from ._weights import WEIGHT_METHODS, ahp_accepted, data_weights, parse_judgment


def _bad(key: str, message: str) -> FrameworkError:
    return FrameworkError(message, column=key)


def _choose(key: str, value: object, options: tuple[str, ...]) -> None:
    if value not in options:
        raise _bad(key, f"{key} must be one of {', '.join(options)}; not {value!r}")


def _first_unit(state: State, rows: np.ndarray) -> str:
    return str(state.units[np.flatnonzero(rows)[0]])


@dataclass
class Step:
    """Base of every step: ``apply`` changes the run's state; ``params`` is what the log keeps."""

    kind: ClassVar[str] = ""

    def apply(self, state: State) -> None:
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        return {"kind": self.kind, **asdict(self)}

    def _indicators(self, state: State, chosen: list[str] | None) -> list[str]:
        codes = list(state.framework.indicators) if chosen is None else chosen
        for code in codes:
            if code not in state.framework.indicators:
                raise _bad("indicators", f"unknown indicator {code!r}")
        return codes


@dataclass
class Denominate(Step):
    """Divide each indicator by its denominator column (the metadata's, or ``denominators``)."""

    kind: ClassVar[str] = "denominate"
    denominators: dict[str, str] = field(default_factory=dict)
    indicators: list[str] | None = None
    zero: str = "error"

    def __post_init__(self) -> None:
        _choose("zero", self.zero, ("error", "missing"))

    def apply(self, state: State) -> None:
        block = state.indicators().copy(order="F")
        for code in self._indicators(state, self.indicators):
            name = self.denominators.get(code) or state.framework.node(code).denominator
            if not name:
                continue
            if name not in state.denominators:
                raise FrameworkError(f"the units table has no denominator {name!r}", column=name)
            den, j = state.denominators[name], state.index_of(code)
            zero = (den == 0) & ~np.isnan(block[:, j])
            if zero.any() and self.zero == "error":
                unit = _first_unit(state, zero)
                raise DataError(f"zero denominator {name!r}", indicator=code, unit=unit)
            with np.errstate(divide="ignore", invalid="ignore"):
                block[:, j] = np.where(den == 0, np.nan, block[:, j] / den)
        state.replace_indicators(block)
        state.record("Denominated")


@dataclass
class Impute(Step):
    """Fill missing values with the column's or the unit's group's mean or median."""

    kind: ClassVar[str] = "impute"
    method: str = "mean"
    group: str | None = None
    indicators: list[str] | None = None
    no_group: str = "keep"

    def __post_init__(self) -> None:
        _choose("method", self.method, ("none", "mean", "median", "group_mean", "group_median"))
        _choose("no_group", self.no_group, ("keep", "error"))
        if self.method.startswith("group_") and not self.group:
            raise _bad("group", f"method {self.method!r} needs a group column")

    def apply(self, state: State) -> None:
        block = state.indicators().copy(order="F")
        for code in self._indicators(state, self.indicators) if self.method != "none" else []:
            j = state.index_of(code)
            missing = np.isnan(block[:, j])
            if missing.any():
                self._fill(state, code, block[:, j], missing)
        state.replace_indicators(block)
        state.record("Imputed")

    def _fill(self, state: State, code: str, column: np.ndarray, missing: np.ndarray) -> None:
        if self.group is None or not self.method.startswith("group_"):
            column[missing] = column_statistic(column, self.method)
            return
        groups, names = state.group(self.group)
        statistic = group_means if self.method == "group_mean" else group_medians
        by_group = statistic(column, groups, len(names))
        orphan = missing & (groups == MISSING)
        if orphan.any() and self.no_group == "error":
            raise DataError(
                f"no {self.group!r} group to impute from",
                indicator=code,
                unit=_first_unit(state, orphan),
            )
        fill = missing & (groups != MISSING)
        column[fill] = by_group[groups[fill]]


@dataclass
class Screen(Step):
    """Drop units whose share of non-missing indicator values is below ``min_availability``."""

    kind: ClassVar[str] = "screen"
    min_availability: float = math.nan

    def __post_init__(self) -> None:
        if not 0 <= self.min_availability <= 1:
            raise _bad("min_availability", "min_availability must be between 0 and 1")

    def apply(self, state: State) -> None:
        block = state.indicators()
        availability = (~np.isnan(block)).sum(axis=1) / block.shape[1]
        keep = ~(availability < self.min_availability)
        state.screened_out += [
            ScreenedUnit(str(u), float(a))
            for u, a in zip(state.units[~keep], availability[~keep], strict=True)
        ]
        state.keep(keep)
        state.record("Screened")


TRANSFORMS = ("log", "log10", "sqrt", "square", "power", "log_shift")


@dataclass
class Transform(Step):
    """Transform indicators: ln, log10, sqrt, square, power (``exponent``), or COINr's log_shift."""

    kind: ClassVar[str] = "transform"
    method: str = "log"
    indicators: list[str] | None = None
    exponent: float | None = None

    def __post_init__(self) -> None:
        _choose("method", self.method, TRANSFORMS)
        if self.method == "power" and self.exponent is None:
            raise _bad("exponent", 'method "power" needs an exponent')

    def apply(self, state: State) -> None:
        block = state.indicators().copy(order="F")
        for code in self._indicators(state, self.indicators):
            j = state.index_of(code)
            block[:, j] = self._one(state, code, block[:, j])
        state.replace_indicators(block)
        state.record("Transformed")

    def _one(self, state: State, code: str, x: np.ndarray) -> np.ndarray:
        floor = {"log": 0.0, "log10": 0.0, "sqrt": -0.0}.get(self.method)
        if floor is not None:
            bad = (x <= 0) if self.method != "sqrt" else (x < 0)
            if bad.any():
                value = x[np.flatnonzero(bad)[0]]
                raise DataError(
                    f"{self.method} is undefined for {value!r}",
                    indicator=code,
                    unit=_first_unit(state, bad),
                )
        if self.method == "log":
            return np.log(x)
        if self.method == "log10":
            return np.log10(x)
        if self.method == "sqrt":
            return np.sqrt(x)
        if self.method == "square":
            return x * x
        if self.method == "power":
            return np.power(x, float(self.exponent or 0.0))
        return log_fallback(x)


@dataclass
class Treat(Step):
    """COINr's outlier treatment (METHODS §3): winsorise, then a log if it still fails."""

    kind: ClassVar[str] = "treat"
    method: str = "winsorise"
    max_points: int = 5
    skew_threshold: float = 2.0
    kurtosis_threshold: float = 3.5
    fallback: str = "log"
    indicators: list[str] | None = None

    def __post_init__(self) -> None:
        _choose("method", self.method, ("winsorise",))
        _choose("fallback", self.fallback, ("log", "none"))
        if self.max_points < 0:
            raise _bad("max_points", "max_points must be 0 or more")

    def apply(self, state: State) -> None:
        limits = Thresholds(self.skew_threshold, self.kurtosis_threshold, self.max_points)
        block = state.indicators().copy(order="F")
        for code in self._indicators(state, self.indicators):
            j = state.index_of(code)
            block[:, j], record = treat_column(
                code, block[:, j], limits, fallback=self.fallback == "log"
            )
            state.treatment.append(record)
        state.replace_indicators(block)
        state.record("Treated")


NORMALISERS = (
    "minmax",
    "zscore",
    "rank",
    "percentile",
    "target",
    "reference",
    "max",
    "goalposts",
    "benchmark",
    "vector",
    "sum",
    "none",
)
STATISTICS = ("mean", "median", "max", "percentile")


@dataclass
class Normalise(Step):
    """Bring indicators onto a common scale; direction is applied first. See README for each key."""

    kind: ClassVar[str] = "normalise"
    method: str = "minmax"
    range: list[float] = field(default_factory=lambda: [0.0, 100.0])
    mean: float = 0.0
    sd: float = 1.0
    constant: str = "error"
    goalposts: dict[str, list[float]] = field(default_factory=dict)
    scale: float = 1.0
    truncate: bool = True
    targets: dict[str, float] = field(default_factory=dict)
    reference: str | None = None
    cap: float | None = None
    benchmarks: dict[str, Any] = field(default_factory=dict)
    pool: str | None = None
    statistic: str | None = None
    percentile: float = 50.0
    factor: float = 1.0
    by_indicator: dict[str, str] = field(default_factory=dict)
    indicators: list[str] | None = None

    def __post_init__(self) -> None:
        for method in [self.method, *self.by_indicator.values()]:
            _choose("method", method, NORMALISERS)
        _choose("constant", self.constant, ("error", "upper"))
        if len(self.range) != 2:
            raise _bad("range", "range must be [lower, upper]")
        if self.statistic is not None:
            _choose("statistic", self.statistic, STATISTICS)
        for code, posts in self.goalposts.items():
            if len(posts) not in (2, 3) or posts[0] == posts[1]:
                raise _bad(
                    "goalposts", f"goalposts of {code} must be [low, high] or [low, high, scale]"
                )
        if self.sd <= 0:
            raise _bad("sd", "sd must be positive")

    def apply(self, state: State) -> None:
        block = state.indicators()
        state.entering_normalisation = block
        out = block.copy(order="F")
        for code in self._indicators(state, self.indicators):
            j = state.index_of(code)
            direction = state.framework.node(code).direction
            out[:, j] = self._one(state, code, block[:, j] * direction, direction)
        state.replace_indicators(out)
        state.record("Normalised")

    def _one(self, state: State, code: str, x: np.ndarray, direction: int) -> np.ndarray:
        method = self.by_indicator.get(code, self.method)
        if method in _SIMPLE:
            return _SIMPLE[method](self, code, x)
        if method == "target":
            return norm.distance_to(code, x, self._target(state, code) * direction, self.cap)
        if method == "reference":
            return norm.distance_to(code, x, self._reference_value(state, code, x), self.cap)
        if method == "goalposts":
            posts = self.goalposts.get(code)
            if posts is None:
                raise _bad("goalposts", f"no goalposts for indicator {code!r}")
            scale = posts[2] if len(posts) == 3 else self.scale
            return norm.goalposts(x, posts[0], posts[1], direction, scale, self.truncate)
        bench = self._benchmark(state, code, x * direction)
        return norm.benchmark_ratio(code, state.units, x, bench, direction, self.cap)

    def _target(self, state: State, code: str) -> float:
        target = self.targets.get(code, state.framework.node(code).target)
        if target is None:
            raise _bad("targets", f"no target for indicator {code!r}")
        return float(target)

    def _reference_value(self, state: State, code: str, x: np.ndarray) -> float:
        rows = np.flatnonzero(state.units == self.reference)
        if rows.size == 0 or np.isnan(x[rows[0]]):
            raise DataError("the reference unit has no value", indicator=code, unit=self.reference)
        return float(x[rows[0]])

    def _benchmark(self, state: State, code: str, raw: np.ndarray) -> np.ndarray:
        """The benchmark B of each unit: fixed, fixed per pool, or a statistic of its pool."""
        given = self.benchmarks.get(code)
        if isinstance(given, int | float):
            return np.full(raw.shape, float(given))
        if given is None and self.statistic is None:
            raise _bad("benchmarks", f"no benchmark for indicator {code!r}")
        if self.pool is None:
            return np.full(raw.shape, self._statistic(raw[~np.isnan(raw)]) * self.factor)
        groups, names = state.group(self.pool)
        if isinstance(given, Mapping):
            per_pool = np.array([float(given.get(str(n), math.nan)) for n in names])
        else:
            per_pool = (
                np.array(
                    [
                        self._statistic(raw[(groups == g) & ~np.isnan(raw)])
                        for g in range(len(names))
                    ]
                )
                * self.factor
            )
        bench = np.append(per_pool, math.nan)[np.where(groups == MISSING, len(names), groups)]
        lacking = np.isnan(bench) & ~np.isnan(raw)
        if lacking.any():
            raise DataError(
                f"no benchmark for this unit's {self.pool!r}",
                indicator=code,
                unit=_first_unit(state, lacking),
            )
        return bench

    def _statistic(self, values: np.ndarray) -> float:
        if values.size == 0:
            return math.nan
        if self.statistic == "mean":
            return float(values.mean())
        if self.statistic == "median":
            return float(np.median(values))
        if self.statistic == "max":
            return float(values.max())
        return float(np.percentile(values, self.percentile))


_SIMPLE: dict[str, Any] = {
    "minmax": lambda s, c, x: norm.minmax(c, x, s.range[0], s.range[1], s.constant),
    "zscore": lambda s, c, x: norm.zscore(c, x, s.mean, s.sd),
    "rank": lambda s, c, x: norm.rank(x),
    "percentile": lambda s, c, x: norm.percentile(x),
    "max": lambda s, c, x: norm.distance_to_max(c, x, s.constant),
    "vector": lambda s, c, x: norm.vector(c, x),
    "sum": lambda s, c, x: norm.share_of_sum(c, x),
    "none": lambda s, c, x: x,
}


@dataclass
class Weight(Step):
    """Weights for the children of the aggregates at ``levels`` (default: every level).

    ``manual`` (the metadata's weights, or ``weights``), ``equal``, ``ahp`` (a Saaty matrix per
    aggregate, CR < 0.1), or computed from the children's values when the aggregate is scored:
    ``entropy``, ``critic``, ``pca``.
    """

    kind: ClassVar[str] = "weight"
    method: str = "equal"
    levels: list[int] | None = None
    weights: dict[str, float] = field(default_factory=dict)
    ahp: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _choose("method", self.method, WEIGHT_METHODS)
        if self.method == "ahp" and not self.ahp:
            raise _bad("ahp", 'method "ahp" needs a matrix per aggregate: [step.ahp] CODE = [[…]]')
        for code in self.ahp:
            self._ahp_weights(code, None)  # refuse an inconsistent matrix before any data is read

    def _ahp_weights(self, code: str, children: tuple[str, ...] | None) -> np.ndarray:
        entry = self.ahp[code]
        order = entry.get("order") if isinstance(entry, Mapping) else None
        matrix = entry.get("matrix") if isinstance(entry, Mapping) else entry
        if not isinstance(matrix, list):
            raise _bad("ahp", f"the AHP entry of {code!r} needs a matrix")
        try:
            rows = [[parse_judgment(v) for v in row] for row in matrix]
        except (TypeError, ValueError, ZeroDivisionError):
            raise _bad("ahp", f"the AHP matrix of {code!r} holds a non-number") from None
        names = order or children or [f"{code} child {i + 1}" for i in range(len(rows))]
        try:
            weights = ahp_accepted(rows, names)
        except FrameworkError as error:
            raise _bad("ahp", error.reason) from None
        if children is None:
            return weights
        if sorted(names) != sorted(children):
            raise _bad("ahp", f"the AHP order of {code!r} must list its children {list(children)}")
        return np.array([weights[list(names).index(c)] for c in children])

    def apply(self, state: State) -> None:
        fw = state.framework
        for code in [*self.weights, *self.ahp]:
            if code not in fw:
                raise _bad("weights" if code in self.weights else "ahp", f"unknown code {code!r}")
        for code in fw.aggregates:
            if self.levels is not None and fw.level(code) not in self.levels:
                continue
            state.weighting[code] = (self.method, self._fixed(state, code))

    def _fixed(self, state: State, code: str) -> np.ndarray | None:
        fw = state.framework
        children = fw.children(code)
        if self.method == "manual":
            return np.array(list(fw.weights(code, self.weights).values()))
        if self.method == "equal":
            return np.ones(len(children))
        if self.method == "ahp":
            if code not in self.ahp:
                raise _bad("ahp", f"no AHP matrix for {code!r}")
            return self._ahp_weights(code, children)
        return None  # data-driven: computed from the children's values when they are scored


@dataclass
class Aggregate(Step):
    """Score every aggregate from its children, level by level (``by_level``: level → method)."""

    kind: ClassVar[str] = "aggregate"
    method: str = "arithmetic"
    by_level: dict[int, str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    topsis_normalisation: str = "vector"

    def __post_init__(self) -> None:
        try:
            self.by_level = {int(level): m for level, m in self.by_level.items()}
        except ValueError:
            raise _bad("by_level", "by_level keys must be level numbers") from None
        for method in [self.method, *self.by_level.values()]:
            _choose("method", method, AGGREGATE_METHODS)
        _choose("topsis_normalisation", self.topsis_normalisation, TOPSIS_NORMALISATIONS)

    def apply(self, state: State) -> None:
        fw = state.framework
        for code in self.weights:
            if code not in fw:
                raise _bad("weights", f"unknown code {code!r}")
        values = state.values.copy(order="F")
        for code in fw.aggregates:
            children = fw.children(code)
            method = self.by_level.get(fw.level(code), self.method)
            rows = values[:, [state.index_of(c) for c in children]]
            weights = self._weights(state, code, rows)
            values[:, state.index_of(code)] = aggregate(
                rows,
                weights,
                method,
                children=children,
                units=state.units,
                topsis_normalisation=self.topsis_normalisation,
            )
            state.aggregation[code] = Aggregation(
                children, tuple(weights.tolist()), method, self.topsis_normalisation
            )
        state.values = values
        state.aggregated = True
        state.record("Aggregated")

    def _weights(self, state: State, code: str, rows: np.ndarray) -> np.ndarray:
        fw = state.framework
        method, fixed = state.weighting.get(code, ("manual", None))
        if fixed is not None:
            weights = fixed
        elif method == "manual":
            weights = np.array(list(fw.weights(code, self.weights).values()))
        else:
            weights = data_weights(method, rows, fw.children(code))
        noise = state.weight_noise.get(code)
        if noise is None:
            return weights
        noisy = weights * noise  # a Monte Carlo replication: perturbed, same total
        return noisy * (weights.sum() / noisy.sum())


def _scored_codes(state: State, codes: list[str] | None, key: str) -> list[str]:
    default = state.framework.aggregates if state.aggregated else state.framework.indicators
    chosen = list(default) if codes is None else codes
    for code in chosen:
        if code not in state.columns:
            raise _bad(key, f"unknown code {code!r}")
    return chosen


@dataclass
class Round(Step):
    """Round scores half-up to ``digits`` decimals as written (METHODS §1.3); ranks after use it."""

    kind: ClassVar[str] = "round"
    digits: int = 2
    codes: list[str] | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.digits <= 15:
            raise _bad("digits", "digits must be between 0 and 15")

    def apply(self, state: State) -> None:
        values = state.values.copy(order="F")
        for code in _scored_codes(state, self.codes, "codes"):
            j = state.index_of(code)
            values[:, j] = round_half_up(values[:, j], self.digits)
        state.values = values
        state.record("Rounded")


def tie_values(state: State, code: str) -> np.ndarray:
    """Tie-break values: an indicator as it entered normalisation (e.g. 税收/亩), else a score."""
    if code not in state.columns:
        raise _bad("tie_break", f"unknown code {code!r}")
    j = state.index_of(code)
    source = state.entering_normalisation
    if j < state.indicator_count and source is not None:
        return source[:, j]
    return state.values[:, j]


@dataclass
class Rank(Step):
    """Competition ranks ("1224"), highest score first, optionally within a group column."""

    kind: ClassVar[str] = "rank"
    codes: list[str] | None = None
    within: str | None = None
    tie_break: list[str] = field(default_factory=list)
    name: str | None = None

    def apply(self, state: State) -> None:
        codes = _scored_codes(state, self.codes, "codes")
        groups = state.group(self.within)[0] if self.within else None
        ties = [tie_values(state, c) for c in self.tie_break]
        scores = state.values[:, [state.index_of(c) for c in codes]]
        ranks = competition_ranks(scores, tie_break=ties, groups=groups)
        name = self.name or ("rank" if self.within is None else f"rank.{self.within}")
        state.ranks[name] = Dataset(name, state.units, tuple(codes), ranks)


@dataclass
class Classify(Step):
    """Grades by quota within pools (METHODS §1.4) or by score thresholds, plus extra bands."""

    kind: ClassVar[str] = "classify"
    method: str = "quota"
    score: str | None = None
    pool: str | None = None
    shares: list[int] = field(default_factory=lambda: [20, 60, 95])
    rounding: str = "half_up"
    thresholds: list[float] = field(default_factory=list)
    grades: list[str] = field(default_factory=lambda: ["A", "B", "C", "D"])
    tie_break: list[str] = field(default_factory=list)
    bands: list[dict[str, Any]] = field(default_factory=list)
    ungraded: dict[str, Any] = field(default_factory=dict)
    name: str = "grade"

    def __post_init__(self) -> None:
        _choose("method", self.method, ("quota", "thresholds"))
        _choose("rounding", self.rounding, ROUNDING)
        cuts = self.shares if self.method == "quota" else self.thresholds
        if len(self.grades) != len(cuts) + 1:
            key = "shares" if self.method == "quota" else "thresholds"
            raise _bad("grades", f"{len(cuts)} {key} need {len(cuts) + 1} grades")
        if self.method == "quota" and (
            any(not isinstance(p, int) or not 0 <= p <= 100 for p in self.shares)
            or sorted(self.shares) != self.shares
        ):
            raise _bad("shares", "shares are rising cumulative whole percents (e.g. [20, 60, 95])")
        if self.method == "thresholds" and sorted(self.thresholds, reverse=True) != self.thresholds:
            raise _bad("thresholds", "thresholds must be in descending order")
        for band in self.bands:
            if set(band) != {"grade", "label", "below"}:
                raise _bad("bands", "each band needs grade, label and below")
        if self.ungraded and set(self.ungraded) != {"column", "values"}:
            raise _bad("ungraded", "ungraded needs column and values")

    def apply(self, state: State) -> None:
        code = self.score or state.framework.index
        if code is None or code not in state.columns:
            raise _bad("score", "name the score to grade (the framework has no single index)")
        score = state.values[:, state.index_of(code)].copy()
        if self.ungraded:
            left_out = np.isin(state.attributes[self.ungraded["column"]], self.ungraded["values"])
            score[left_out] = np.nan
        if self.method == "quota":
            pools = state.group(self.pool)[0] if self.pool else None
            ties = [tie_values(state, c) for c in self.tie_break]
            grade = grade_by_quota(
                score, shares=self.shares, rounding=self.rounding, tie_break=ties, pools=pools
            )
        else:
            grade = grade_by_thresholds(score, self.thresholds)
        named = labels(grade, self.grades)
        for band in self.bands:
            with np.errstate(invalid="ignore"):
                named[(named == band["grade"]) & (score < float(band["below"]))] = band["label"]
        state.grades[self.name] = named
        state.grade_scales[self.name] = (
            list(self.grades),
            {str(b["label"]): str(b["grade"]) for b in self.bands},
        )


@dataclass
class Rule(Step):
    """A bonus, penalty or veto driven by a column of the units table, recorded per unit.

    ``bonus``/``penalty``: add/subtract ``points`` × the column's number (or ``points`` where the
    condition holds, if ``values`` or ``at_least`` is given) to ``score``. ``force_grade`` (to
    ``grade``), ``drop_grade`` (one grade worse) and ``cancel`` (no grade) act on the grades of
    the classify step ``grades`` where the condition holds (default: the column's number > 0).
    """

    kind: ClassVar[str] = "rule"
    action: str = "bonus"
    column: str = ""
    name: str | None = None
    points: float = 1.0
    max_points: float | None = None
    values: list[str] | None = None
    at_least: float | None = None
    score: str | None = None
    grade: str | None = None
    grades: str = "grade"

    def __post_init__(self) -> None:
        _choose("action", self.action, ACTIONS)
        if not self.column:
            raise _bad("column", "a rule needs the units-table column it reads")
        if self.action == "force_grade" and not self.grade:
            raise _bad("grade", "force_grade needs the grade to force")
        if self.values is not None and self.at_least is not None:
            raise _bad("values", "give values or at_least, not both")

    def apply(self, state: State) -> None:
        if self.column not in state.attributes:
            raise _bad("column", f"the units table has no column {self.column!r}")
        if self.action in GRADE_ACTIONS:
            self._veto(state)
        else:
            self._points(state)

    def _fires(self, state: State) -> np.ndarray:
        labels = state.attributes[self.column]
        return condition(labels, self.column, state.units, self.values, self.at_least)

    def target(self, state: State) -> str:
        """The score a bonus or penalty changes."""
        code = self.score or state.framework.index
        if code is None or code not in state.columns:
            raise _bad("score", "name the score the points go to")
        return code

    def amounts(self, state: State) -> np.ndarray:
        """Points added to each unit's score (negative for a penalty)."""
        if self.values is None and self.at_least is None:
            raw = numbers(state.attributes[self.column], self.column, state.units)
            amount = np.nan_to_num(raw) * self.points
        else:
            amount = np.where(self._fires(state), self.points, 0.0)
        if self.max_points is not None:
            amount = np.minimum(amount, self.max_points)
        return -amount if self.action == "penalty" else amount

    def _points(self, state: State) -> None:
        code = self.target(state)
        amount = self.amounts(state)
        values = state.values.copy(order="F")
        j = state.index_of(code)
        before = values[:, j].copy()
        values[:, j] = before + amount
        state.values = values
        name = self.name or self.action
        for i in np.flatnonzero((amount != 0) & ~np.isnan(before)):
            state.rules.append(
                RuleRecord(
                    str(state.units[i]),
                    name,
                    self.action,
                    float(amount[i]),
                    float(before[i]),
                    float(values[i, j]),
                    code,
                )
            )
        state.record("Adjusted")

    def _veto(self, state: State) -> None:
        if self.grades not in state.grades:
            raise _bad(
                "grades", f"a {self.action} rule needs a classify step {self.grades!r} first"
            )
        scale, bands = state.grade_scales[self.grades]
        if self.grade is not None and self.grade not in scale:
            raise _bad("grade", f"{self.grade!r} is not one of the grades {scale}")
        grades = state.grades[self.grades].copy()
        for i in np.flatnonzero(self._fires(state)):
            before = grades[i]
            grades[i] = moved_grade(before, self.action, scale, bands, self.grade)
            state.rules.append(
                RuleRecord(
                    str(state.units[i]),
                    self.name or self.action,
                    self.action,
                    None,
                    before,
                    grades[i],
                )
            )
        state.grades[self.grades] = grades


STEP_KINDS: dict[str, type[Step]] = {
    cls.kind: cls
    for cls in (
        Denominate,
        Impute,
        Screen,
        Transform,
        Treat,
        Normalise,
        Weight,
        Aggregate,
        Round,
        Rank,
        Classify,
        Rule,
    )
}


def parse_step(raw: Mapping[str, Any], position: int, source: str | None = None) -> Step:
    """Build one step from its TOML table; errors name the step's position and the key.

    >>> parse_step({"kind": "round", "digits": 3}, 1)
    Round(digits=3, codes=None)
    """
    where = f"{source} [[step]]" if source else "[[step]]"
    kind = raw.get("kind")
    cls = STEP_KINDS.get(str(kind))
    if cls is None:
        known = ", ".join(STEP_KINDS)
        raise FrameworkError(
            f"unknown step kind {kind!r} (known: {known})",
            source=where,
            row=position,
            column="kind",
        )
    keys = {f.name for f in fields(cls)}
    for key in raw:
        if key != "kind" and key not in keys:
            raise FrameworkError(
                f"{kind} has no key {key!r}", source=where, row=position, column=key
            )
    try:
        return cls(**{k: v for k, v in raw.items() if k != "kind"})
    except FrameworkError as error:
        raise FrameworkError(
            error.reason, source=where, row=position, column=error.column
        ) from None
    except TypeError as error:
        raise FrameworkError(str(error), source=where, row=position) from None
