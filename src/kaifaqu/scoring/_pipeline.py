"""A pipeline: a framework, the units' data and an ordered list of steps."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._data import Dataset, UnitData
from ._errors import DataError, FrameworkError
from ._framework import Framework, Node
from ._loader import (
    framework_from_table,
    framework_from_toml,
    number_columns,
    read_table,
    units_from_table,
)
from ._results import ENGINE_VERSION, Results, input_hash
from ._state import State
from ._steps import Rank, Step, parse_step
from ._uncertainty import Uncertainty, parse_uncertainty

TOP_LEVEL_KEYS = ("data", "framework", "step", "uncertainty")
# Tables that a domain module's document carries beside the pipeline (a zone-assessment framework's
# rules and disqualifications): read by that module, passed over by the engine.
DOMAIN_TABLES = ("assessment",)
DATA_KEYS = ("units", "meta", "units_sheet", "meta_sheet")


@dataclass(frozen=True)
class Pipeline:
    """Framework + data + steps; ``run()`` applies the steps in the order given.

    >>> fw = Framework([Node("x", parent="T", weight=1), Node("y", parent="T", weight=1),
    ...                 Node("T", "Aggregate")])
    >>> data = UnitData.from_columns(["A", "B"], {"x": [1.0, 3.0], "y": [2.0, 0.0]})
    >>> steps = parse_steps([{"kind": "normalise", "method": "minmax"}, {"kind": "aggregate"}])
    >>> results = Pipeline(fw, data, steps).run()
    >>> results.score("A", "T"), results.rank("A", "T")
    (50.0, 1)
    """

    framework: Framework
    data: UnitData
    steps: tuple[Step, ...]
    uncertainty: Uncertainty | None = None

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Pipeline:
        """Read a pipeline file; relative paths in it are relative to the file."""
        return load_pipeline(path)

    def run(self) -> Results:
        """Apply every step; if none ranked overall, rank every score at the end."""
        _check_indicators(self.framework, self.data)
        state = State.start(self.framework, self.data)
        for step in self.steps:
            step.apply(state)
        implicit: list[dict[str, Any]] = []
        if "rank" not in state.ranks:
            final_rank = Rank()
            final_rank.apply(state)
            implicit.append(final_rank.params())
        return _results(state, self, implicit)


def _check_indicators(framework: Framework, data: UnitData) -> None:
    for code in framework.indicators:
        if code not in data.indicators:
            raise FrameworkError(f"the units have no values for indicator {code!r}", column=code)


def _results(state: State, pipeline: Pipeline, implicit: list[dict[str, Any]]) -> Results:
    width = len(state.columns) if state.aggregated else state.indicator_count
    first = state.indicator_count if state.aggregated else 0
    scores = Dataset(
        "Scores", state.units, state.columns[first:width], state.values[:, first:width]
    )
    steps = [step.params() for step in pipeline.steps]
    log = {
        "engine": "kaifaqu.scoring",
        "engine_version": ENGINE_VERSION,
        "input_hash": input_hash(pipeline.framework, pipeline.data),
        "steps_hash": _steps_hash(steps),
        "framework": pipeline.framework.records(),
        "steps": steps,
        "implicit_steps": implicit,
        "units_in": len(pipeline.data.codes),
        "units_out": len(state.units),
        "screened_out": [[u.code, u.availability] for u in state.screened_out],
        "datasets": list(state.datasets),
        "warnings": state.warnings,
    }
    if state.weighting:  # the weights a weight step chose, so the log shows what was used
        log["weighted"] = {
            code: dict(zip(a.children, a.weights, strict=True))
            for code, a in state.aggregation.items()
        }
    return Results(
        framework=state.framework,
        scores=scores,
        ranks=state.ranks,
        grades=state.grades,
        datasets=state.datasets,
        screened_out=tuple(state.screened_out),
        treatment=tuple(state.treatment),
        warnings=tuple(state.warnings),
        log=log,
        aggregation=dict(state.aggregation),
        rules=tuple(state.rules),
    )


def _steps_hash(steps: list[dict[str, Any]]) -> str:
    text = json.dumps(steps, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def parse_steps(raw: Sequence[Mapping[str, Any]], source: str | None = None) -> tuple[Step, ...]:
    """Steps from their TOML tables (or from a log's ``steps``), in order."""
    return tuple(parse_step(entry, i, source) for i, entry in enumerate(raw, start=1))


def regenerate(log: Mapping[str, Any], data: UnitData) -> Results:
    """Re-run a logged pipeline on ``data``; refuses data that are not the logged run's input.

    The framework and the steps come from the log, so the result is the logged one exactly.
    """
    framework = Framework([Node(**record) for record in log["framework"]], source="log")
    if input_hash(framework, data) != log["input_hash"]:
        raise DataError("these data are not the input of the logged run (input hash differs)")
    return Pipeline(framework, data, parse_steps(log["steps"], "log")).run()


def load_pipeline(path: str | os.PathLike[str]) -> Pipeline:
    """Read ``[data]`` (units, meta), optional ``[[framework]]``, the ``[[step]]`` list and
    ``[uncertainty]``; relative paths in the file are relative to the file."""
    path = Path(path)
    source = path.name
    if not path.is_file():
        raise FrameworkError(f"no such file: {path}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise FrameworkError(f"not valid TOML: {error}", source=source) from None
    for key in raw:
        if key not in TOP_LEVEL_KEYS + DOMAIN_TABLES:
            raise FrameworkError(f"unknown table {key!r}", source=source, column=key)
    data = raw.get("data", {})
    for key in data:
        if key not in DATA_KEYS:
            raise FrameworkError(f"unknown key {key!r} in [data]", source=source, column=key)
    framework = _framework(path, data, raw.get("framework"))
    if "units" not in data:
        raise FrameworkError("[data] needs units", source=source, column="units")
    units_path = path.parent / data["units"]
    table = read_table(units_path, data.get("units_sheet"), number_columns(framework))
    units = units_from_table(table, framework, units_path.name)
    steps = parse_steps(raw.get("step", []), source)
    uncertainty = parse_uncertainty(raw["uncertainty"], source) if "uncertainty" in raw else None
    return Pipeline(framework, units, steps, uncertainty)


def _framework(path: Path, data: Mapping[str, Any], entries: Any) -> Framework:
    if entries is not None and "meta" in data:
        raise FrameworkError(
            "give the framework either as [data] meta or as [[framework]]",
            source=path.name,
            column="meta",
        )
    if entries is not None:
        return framework_from_toml(entries, f"{path.name} [[framework]]")
    if "meta" not in data:
        raise FrameworkError(
            "[data] needs meta (or [[framework]] tables)", source=path.name, column="meta"
        )
    meta_path = path.parent / data["meta"]
    return framework_from_table(read_table(meta_path, data.get("meta_sheet")), meta_path.name)
