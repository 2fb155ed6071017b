"""An assessment framework document: the engine's pipeline TOML plus the ``[assessment]`` table.

The engine's tables (``[[framework]]``, ``[[step]]``, ``[uncertainty]``) are read exactly as the
engine reads them; ``[assessment]`` holds what only the assessment needs: the default zone set,
which rank is published, replications, disqualification rules and dynamic-management rules.
``engine_toml()`` writes the engine's part back out, so ``kaifaqu index run`` runs it offline.
No Django here.

>>> doc = parse_document(preset_text("provincial_six"))
>>> doc.dimensions[:2], doc.weights["quality"]
(['quality', 'openness'], 30.0)
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import tomlkit

from kaifaqu.assessment.choices import RuleAction, RuleKind
from kaifaqu.scoring import (
    Framework,
    FrameworkError,
    Node,
    Pipeline,
    Uncertainty,
    UnitData,
    parse_steps,
    parse_uncertainty,
)

PRESETS = {
    "mofcom_2021": "商务部国家级经开区考核评价(2021年版)",
    "provincial_six": "省级开发区综合考核评价(六维度)",
}
ENGINE_TABLES = ("framework", "step", "uncertainty")
NODE_KEYS = ("code", "type", "level", "parent", "weight", "direction", "name", "unit", "target")
GROUP_COLUMN = "group"
DEFAULT_REPLICATIONS = 1000


class DocumentError(ValueError):
    """The document cannot be used; the message says where, for the bureau's editor."""


@dataclass(frozen=True)
class ManagementRule:
    """A dynamic-management rule (METHODS §2), evaluated over the run history."""

    code: str
    name: str
    kind: str
    action: str
    rank: str = "overall"
    n: int = 0
    k: int = 1
    m: int = 1
    years: int = 2


@dataclass(frozen=True)
class Disqualification:
    """An entered item (e.g. a major accident) that cancels the year's eligibility."""

    code: str
    name: str
    at_least: float = 1.0


@dataclass(frozen=True)
class Document:
    raw: dict[str, Any]
    framework: Framework
    name: str
    zone_kind: str
    published_rank: str
    replications: int
    rules: tuple[ManagementRule, ...]
    disqualifications: tuple[Disqualification, ...]
    dimensions: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)

    @property
    def indicators(self) -> list[str]:
        return list(self.framework.indicators)

    @property
    def others(self) -> list[str]:
        """Columns of type Other: deduction items read by the pipeline's rule steps."""
        return [e["code"] for e in self.raw.get("framework", []) if e.get("type") == "Other"]

    def label(self, code: str) -> str:
        return self.framework.node(code).name or code

    def pipeline(self, data: UnitData, *, intervals: str | None = None) -> Pipeline:
        """The engine pipeline over ``data``. For rank intervals (``intervals`` = "overall" or
        "group", the rank the replications follow) the ``round`` steps are left out: the
        engine's vectorised replications cannot round a units × replications matrix yet
        (``round_half_up`` indexes it flat), and rounding to 0.01 moves no interval bound."""
        steps = [dict(s) for s in self.raw.get("step", [])]
        if intervals is not None:
            steps = [s for s in steps if s.get("kind") != "round"]
        if intervals == "group":
            steps = [_grouped(s) for s in steps]
        return Pipeline(self.framework, data, parse_steps(steps, "framework"), self._uncertainty())

    def _uncertainty(self) -> Uncertainty | None:
        raw = self.raw.get("uncertainty")
        return None if raw is None else parse_uncertainty(raw, "framework")


def _grouped(step: dict[str, Any]) -> dict[str, Any]:
    if step.get("kind") != "rank":
        return step
    if step.get("name") == "rank":
        return {**step, "within": GROUP_COLUMN}
    return {**step, "name": "rank.overall", "within": None} if step.get("within") else step


def preset_text(code: str) -> str:
    return (resources.files("kaifaqu.assessment") / "presets" / f"{code}.toml").read_text("utf-8")


# The rank interval a run stores and its pages show (名次区间 5%–95%).
INTERVAL_QUANTILES = (0.05, 0.95)


def _check_interval(spec: Uncertainty) -> None:
    if not set(INTERVAL_QUANTILES) <= set(spec.quantiles):
        raise DocumentError(
            "不确定性分析的 quantiles 须包含 0.05 和 0.95:考核结果保存并展示 5%–95% 的名次区间"
        )


def parse_document(text: str) -> Document:
    """Read and check a framework document; ``DocumentError`` says what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DocumentError(f"不是有效的 TOML:{error}") from None
    try:
        framework = Framework([_node(e) for e in raw.get("framework", [])], source="framework")
        parse_steps(raw.get("step", []), "framework")
        if "uncertainty" in raw:
            _check_interval(parse_uncertainty(raw["uncertainty"], "framework"))
    except (FrameworkError, TypeError) as error:
        raise DocumentError(f"指标体系有误:{error}") from None
    meta = raw.get("assessment", {})
    index = framework.index
    if index is None:
        raise DocumentError("指标体系须有唯一的总分(顶层汇总节点)")
    dimensions = list(framework.children(index))
    return Document(
        raw=raw,
        framework=framework,
        name=str(meta.get("name", "")),
        zone_kind=str(meta.get("zone_kind", "")),
        published_rank=_choice(meta.get("published_rank", "overall"), ("overall", "group")),
        replications=int(meta.get("replications", DEFAULT_REPLICATIONS)),
        rules=tuple(_rule(r) for r in meta.get("rule", [])),
        disqualifications=tuple(
            Disqualification(d["code"], d["name"], float(d.get("at_least", 1)))
            for d in meta.get("disqualify", [])
        ),
        dimensions=dimensions,
        weights={c: float(framework.node(c).weight or 0) for c in dimensions},
    )


def _node(entry: dict[str, Any]) -> Node:
    unknown = set(entry) - set(NODE_KEYS) - {"denominator"}
    if unknown:
        raise DocumentError(f"[[framework]] {entry.get('code', '?')}:未知的键 {sorted(unknown)}")
    kind = entry.get("type", "Indicator")
    values = {k: entry[k] for k in NODE_KEYS if k in entry}
    return Node(**{**values, "type": kind, "direction": int(entry.get("direction", 1))})


def _choice(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise DocumentError(f"取值 {value!r} 不在 {allowed} 之中")
    return value


def _rule(entry: dict[str, Any]) -> ManagementRule:
    kind = _choice(entry.get("kind", ""), tuple(RuleKind.values))
    action = _choice(entry.get("action", ""), tuple(RuleAction.values))
    rule = ManagementRule(
        code=entry["code"],
        name=entry.get("name", entry["code"]),
        kind=kind,
        action=action,
        rank=_choice(entry.get("rank", "overall"), ("overall", "group")),
        n=int(entry.get("n", 0)),
        k=int(entry.get("k", 1)),
        m=int(entry.get("m", 1)),
        years=int(entry.get("years", 2)),
    )
    if rule.k > rule.m or (kind in ("bottom", "top", "bottom_in_years") and rule.n < 1):
        raise DocumentError(f"规则 {rule.code}:n 须 ≥ 1,k 不得大于 m")
    return rule


# -- writing the engine's part back out (offline runs) ---------------------------------------


def engine_toml(doc: Document, units_file: str) -> str:
    """The engine's tables of ``doc`` as a pipeline file reading ``units_file``."""
    lines = ["[data]", f"units = {_value(units_file)}", ""]
    for table in ENGINE_TABLES[:2]:
        for entry in doc.raw.get(table, []):
            lines += [f"[[{table}]]", *_pairs(entry), ""]
    uncertainty = doc.raw.get("uncertainty")
    if uncertainty:
        plain = {k: v for k, v in uncertainty.items() if k != "choice"}
        lines += ["[uncertainty]", *_pairs(plain), ""]
        for choice in uncertainty.get("choice", []):
            lines += ["[[uncertainty.choice]]", *_pairs(choice), ""]
    return "\n".join(lines)


def _pairs(table: dict[str, Any]) -> list[str]:
    return [f"{key} = {_value(value)}" for key, value in table.items()]


def _value(value: Any) -> str:
    """A TOML value for the plain types these documents hold (inline tables for dicts)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise DocumentError(f"无法写出的值:{value!r}")


# -- writing a form's edits back into the document ---------------------------------------------

# Where a value sits in the document: keys of tables and indexes of arrays of tables, e.g.
# ("framework", 7, "weight") or ("assessment", "rule", 0, "n").
Path = tuple[str | int, ...]


def with_values(text: str, values: Mapping[Path, Any]) -> str:
    """``text`` with the value at each path replaced (or added); tomlkit keeps the comments,
    the order and the layout, so a form's edit changes those lines and nothing else.

    >>> with_values('w = 1  # kept\\n', {("w",): 2})
    'w = 2  # kept\\n'
    """
    document = tomlkit.parse(text)
    for path, value in values.items():
        *parents, last = path
        container: Any = document
        for key in parents:
            container = container[key]
        container[last] = value
    return tomlkit.dumps(document)
