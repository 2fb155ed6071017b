"""``kaifaqu.scoring``: the framework-free composite-indicator engine.

COINr's pipeline (denominate, impute, screen, transform, treat, normalise, aggregate) plus the
Chinese evaluation practice around it (half-up rounding as written, competition ranks within
groups, quota grading with exact integer arithmetic). NumPy underneath; no Django.

>>> from kaifaqu.scoring import Framework, Node, Pipeline, UnitData, parse_steps
>>> fw = Framework([Node("tax", parent="total", weight=60), Node("va", parent="total", weight=40),
...                 Node("total", "Aggregate")])
>>> data = UnitData.from_columns(["e1", "e2"], {"tax": [24.0, 12.0], "va": [68.0, 136.0]})
>>> steps = parse_steps([
...     {"kind": "normalise", "method": "benchmark", "benchmarks": {"tax": 24.0, "va": 136.0}},
...     {"kind": "aggregate", "method": "sum"},
...     {"kind": "round", "digits": 2},
... ])
>>> results = Pipeline(fw, data, steps).run()
>>> results.score("e1", "total"), results.score("e2", "total")
(80.0, 70.0)
"""

from ._data import Dataset, UnitData
from ._errors import DataError, FrameworkError, ScoringError
from ._explain import Explanation, NextGrade, explain
from ._framework import Framework, Node
from ._grading import grade_by_quota, grade_by_thresholds, quota_counts
from ._loader import framework_from_table, framework_from_toml, read_table, units_from_table
from ._mcda import copeland, topsis
from ._pipeline import Pipeline, load_pipeline, parse_steps, regenerate
from ._ranking import competition_rank
from ._results import ENGINE_VERSION, Results, input_hash
from ._rounding import round_half_up
from ._state import Aggregation, RuleRecord, ScreenedUnit
from ._steps import STEP_KINDS, Step
from ._treat import TreatmentRecord, skew_kurtosis
from ._uncertainty import (
    StepOptions,
    Uncertainty,
    WeightNoise,
    parse_uncertainty,
    rank_uncertainty,
    sensitivity,
    sobol_indices,
)
from ._weights import (
    AhpResult,
    ahp_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
    pca_weights,
)

__all__ = [
    "ENGINE_VERSION",
    "STEP_KINDS",
    "Aggregation",
    "AhpResult",
    "DataError",
    "Dataset",
    "Explanation",
    "Framework",
    "FrameworkError",
    "NextGrade",
    "Node",
    "Pipeline",
    "Results",
    "RuleRecord",
    "ScoringError",
    "ScreenedUnit",
    "Step",
    "StepOptions",
    "TreatmentRecord",
    "Uncertainty",
    "UnitData",
    "WeightNoise",
    "ahp_weights",
    "competition_rank",
    "copeland",
    "critic_weights",
    "entropy_weights",
    "equal_weights",
    "explain",
    "framework_from_table",
    "framework_from_toml",
    "grade_by_quota",
    "grade_by_thresholds",
    "input_hash",
    "load_pipeline",
    "parse_steps",
    "parse_uncertainty",
    "pca_weights",
    "quota_counts",
    "rank_uncertainty",
    "read_table",
    "regenerate",
    "round_half_up",
    "sensitivity",
    "skew_kurtosis",
    "sobol_indices",
    "topsis",
    "units_from_table",
]
