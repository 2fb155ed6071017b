"""The mutable state a pipeline run threads through its steps.

Every step builds new arrays rather than writing into old ones, so each recorded dataset stays as
it was when recorded without copying it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

from ._data import Dataset, UnitData
from ._errors import FrameworkError
from ._framework import Framework
from ._groups import group_codes
from ._treat import TreatmentRecord


@dataclass(frozen=True)
class ScreenedUnit:
    """A unit removed by screening, with its data availability (share of non-missing values)."""

    code: str
    availability: float


@dataclass(frozen=True)
class RuleRecord:
    """What a bonus, penalty or veto rule did to one unit.

    ``effect``: points added (negative for a penalty) for ``bonus``/``penalty``; ``before`` and
    ``after`` are the score or the grade label it changed.
    """

    unit: str
    rule: str
    action: str
    effect: float | None
    before: object
    after: object
    code: str | None = None  # the score a bonus or penalty changed


@dataclass(frozen=True)
class Aggregation:
    """How one aggregate was scored: its children, the weights used (as given) and the method."""

    children: tuple[str, ...]
    weights: tuple[float, ...]
    method: str
    topsis_normalisation: str = "vector"


@dataclass
class State:
    framework: Framework
    units: np.ndarray
    columns: tuple[str, ...]
    values: np.ndarray
    denominators: dict[str, np.ndarray]
    attributes: dict[str, np.ndarray]
    datasets: dict[str, Dataset] = field(default_factory=dict)
    ranks: dict[str, Dataset] = field(default_factory=dict)
    grades: dict[str, np.ndarray] = field(default_factory=dict)
    screened_out: list[ScreenedUnit] = field(default_factory=list)
    treatment: list[TreatmentRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    entering_normalisation: np.ndarray | None = None
    aggregated: bool = False
    # aggregate code → how a weight step weights its children (method, fixed weights or None)
    weighting: dict[str, tuple[str, np.ndarray | None]] = field(default_factory=dict)
    aggregation: dict[str, Aggregation] = field(default_factory=dict)
    grade_scales: dict[str, tuple[list[str], dict[str, str]]] = field(default_factory=dict)
    rules: list[RuleRecord] = field(default_factory=list)
    weight_noise: dict[str, np.ndarray] = field(default_factory=dict)  # Monte Carlo multipliers
    _groups: dict[str, tuple[np.ndarray, list[object]]] = field(default_factory=dict)

    @classmethod
    def start(cls, framework: Framework, data: UnitData) -> State:
        """Lay out the units' indicators in framework order, aggregates after them (missing)."""
        columns = (*framework.indicators, *framework.aggregates)
        values = np.full((len(data.codes), len(columns)), np.nan, order="F")
        for j, code in enumerate(framework.indicators):
            values[:, j] = data.values[:, data.indicators.index(code)]
        state = cls(
            framework, data.codes, columns, values, dict(data.denominators), dict(data.attributes)
        )
        state.record("Raw")
        return state

    def fork(self) -> State:
        """A copy whose later steps leave this state as it is (arrays are never written into)."""
        copied = copy.copy(self)
        for name in ("datasets", "ranks", "grades", "weighting", "aggregation", "weight_noise"):
            setattr(copied, name, dict(getattr(self, name)))
        copied.rules = list(self.rules)
        copied.warnings = list(self.warnings)
        copied.treatment = list(self.treatment)
        return copied

    @property
    def indicator_count(self) -> int:
        return len(self.framework.indicators)

    def indicators(self) -> np.ndarray:
        """The units × indicators block (a view)."""
        return self.values[:, : self.indicator_count]

    def index_of(self, code: str) -> int:
        return self.columns.index(code)

    def replace_indicators(self, block: np.ndarray) -> None:
        values = np.empty_like(self.values, order="F")
        values[:, : self.indicator_count] = block
        values[:, self.indicator_count :] = self.values[:, self.indicator_count :]
        self.values = values

    def record(self, name: str) -> str:
        """Keep the current data as a dataset; a repeated step kind gets a numbered name."""
        unique, k = name, 2
        while unique in self.datasets:
            unique, k = f"{name}.{k}", k + 1
        width = len(self.columns) if self.aggregated else self.indicator_count
        self.datasets[unique] = Dataset(
            unique, self.units, self.columns[:width], self.values[:, :width]
        )
        return unique

    def group(self, name: str) -> tuple[np.ndarray, list[object]]:
        """Integer codes of a group column for the current units (−1 = no group), and the labels."""
        if name not in self._groups:
            labels = self.attributes.get(name)
            if labels is None:
                raise FrameworkError(f"the units table has no group column {name!r}", column=name)
            self._groups[name] = group_codes(labels)
        return self._groups[name]

    def keep(self, mask: np.ndarray) -> None:
        """Drop the units outside ``mask`` from everything that follows."""
        self.units = self.units[mask]
        self.values = np.asfortranarray(self.values[mask])
        self.denominators = {k: v[mask] for k, v in self.denominators.items()}
        self.attributes = {k: v[mask] for k, v in self.attributes.items()}
        self._groups = {k: (codes[mask], names) for k, (codes, names) in self._groups.items()}
        if self.entering_normalisation is not None:
            self.entering_normalisation = self.entering_normalisation[mask]
