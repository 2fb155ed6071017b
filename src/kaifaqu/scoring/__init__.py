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
from ._framework import Framework, Node
from ._grading import grade_by_quota, grade_by_thresholds, quota_counts
from ._loader import framework_from_table, read_table, units_from_table
from ._pipeline import Pipeline, load_pipeline, parse_steps, regenerate
from ._ranking import competition_rank
from ._results import ENGINE_VERSION, Results, input_hash
from ._rounding import round_half_up
from ._state import ScreenedUnit
from ._steps import STEP_KINDS, Step
from ._treat import TreatmentRecord, skew_kurtosis

__all__ = [
    "ENGINE_VERSION",
    "STEP_KINDS",
    "DataError",
    "Dataset",
    "Framework",
    "FrameworkError",
    "Node",
    "Pipeline",
    "Results",
    "ScoringError",
    "ScreenedUnit",
    "Step",
    "TreatmentRecord",
    "UnitData",
    "competition_rank",
    "framework_from_table",
    "grade_by_quota",
    "grade_by_thresholds",
    "input_hash",
    "load_pipeline",
    "parse_steps",
    "quota_counts",
    "read_table",
    "regenerate",
    "round_half_up",
    "skew_kurtosis",
    "units_from_table",
]
