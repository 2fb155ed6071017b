"""A 亩均 scheme: the TOML document a bureau edits, read and validated without Django.

The document is a pipeline document (``docs/mujun-scheme.md``; layouts in ``scheme_format``):

- ``[document]`` ``kind = "mujun_scheme"``, ``format_version = 1``. A document without it is the
  legacy layout (version 0, inline ``weights``/``benchmarks`` per pool): it is still read, the
  same scheme results, and ``scheme_format.upgrade_scheme`` converts its text.
- The scheme's own tables (METHODS §1): ``[scheme]`` scope, ``[[indicator]]`` (numerator and
  denominator fields, unit factor, what a unit without a usable value gets), ``[statuses]``,
  ``[grading]``, ``[[rule]]`` (bonus, penalty, veto), ``[[policy]]`` (differentiated prices and
  measures) and ``[publicity]`` (how long the 公示 lasts, in 自然日).
- ``[[pool]]``: who is in it (scale, leased land or a 信息标签 such as 重点排污单位; the first
  matching pool takes a unit), then its framework as the engine's entries, read by
  ``kaifaqu.scoring.framework_from_toml``: ``[[pool.framework]]`` one total (``code = "total"``,
  ``type = "Aggregate"``) and one entry per weighted indicator (``code``, ``name``, ``unit``,
  ``parent = "total"``, ``weight``); then the pool's own tables ``[pool.benchmarks]`` (a number,
  or ``{ method = "prior_mean", factor = 2 }``…) and optional ``[pool.caps]``.

The benchmarks that depend on the data are found at run time and written into the engine's
steps (``engine.engine_steps``), so the scoring itself is the engine's.

>>> scheme = load_preset("huangyan_2022")
>>> scheme.pool("above").weights["tax_per_mu"], scheme.grading.shares
(30.0, (20, 60, 95))
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# SchemeError is this module's error too (its callers import it from here).
from kaifaqu.mujun.scheme_format import LEGACY_VERSION, TOTAL, document_version, upgraded
from kaifaqu.mujun.scheme_format import SchemeError as SchemeError
from kaifaqu.scoring import Framework, FrameworkError, framework_from_toml
from kaifaqu.vocabulary import ENTERPRISE_YEAR

PRESET_DIR = Path(__file__).parent / "presets"

# The fields of one enterprise-year a scheme may name, with their Chinese names (METHODS §1.1).
FIELDS = {
    name: ENTERPRISE_YEAR[name].label
    for name in (
        "tax_paid",
        "value_added",
        "operating_revenue",
        "main_business_revenue",
        "land_area_mu",
        "energy_tce",
        "electricity_10k_kwh",
        "emission_t",
        "rd_expenditure",
        "avg_employees",
    )
}
MISSING_RULES = ("exclude", "pool_average", "zero")
BENCHMARK_METHODS = ("fixed", "mean", "median", "percentile", "prior_mean")
RULE_ACTIONS = ("bonus", "penalty", "force_grade", "drop_grade", "cancel")
SCALES = ("above", "below", "any")
# What a page says for a scheme's codes (the TOML keeps the codes).
BENCHMARK_METHOD_LABELS = {
    "fixed": "固定值",
    "mean": "池内平均值",
    "median": "池内中位数",
    "percentile": "池内百分位数",
    "prior_mean": "上年池内平均值",
}
ROUNDING_LABELS = {"half_up": "四舍五入", "floor": "向下取整", "ceil": "向上取整"}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator: str
    denominator: str
    unit: str
    factor: float = 1.0
    missing: str = "exclude"  # exclude: not evaluated; pool_average: the pool's average item; zero

    @property
    def header(self) -> str:
        return f"{self.name}({self.unit})"


@dataclass(frozen=True)
class Benchmark:
    method: str = "fixed"
    value: float | None = None
    factor: float = 1.0
    percentile: float = 50.0


@dataclass(frozen=True)
class Pool:
    code: str
    name: str
    scale: str  # above (规上), below (规下) or any
    weights: dict[str, float]
    benchmarks: dict[str, Benchmark]
    # The engine's framework read from the pool's [[pool.framework]] entries: the weights above
    # are its indicators' under the total; equal weights make equal pools, whatever the names.
    framework: Framework = field(compare=False, repr=False)
    leased: bool = False  # 租赁 pool: units whose land is converted leased plant
    # A pool of the units carrying this 信息标签, e.g. 重点排污单位 for a 重点排污 pool (宁波).
    tag: str | None = None
    # Most an item may score, as a multiple of its weight (x/B capped): 1.5 → item ≤ 1.5 × w.
    caps: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Grading:
    shares: tuple[int, ...] = (20, 60, 95)
    rounding: str = "half_up"
    grades: tuple[str, ...] = ("A", "B", "C", "D")
    labels: dict[str, str] = field(default_factory=dict)
    tie_break: str | None = "tax_per_mu"
    method: str = "quota"
    thresholds: tuple[float, ...] = ()
    c_minus_below: float | None = None
    c_minus_label: str = "C-"


@dataclass(frozen=True)
class Publicity:
    """The 公示 window's bounds in 自然日, first and last day included (METHODS §1.4: 3 to 30)."""

    min_days: int = 3
    max_days: int = 30


@dataclass(frozen=True)
class Rule:
    name: str
    action: str
    column: str
    points: float = 1.0
    grade: str | None = None
    max_points: float | None = None


@dataclass(frozen=True)
class Policy:
    code: str
    name: str
    kind: str  # surcharge (元 per unit, escalating by consecutive years) or measure (text)
    by_grade: dict[str, Any]
    unit: str = ""
    c_minus_share: float | None = None


@dataclass(frozen=True)
class Scheme:
    id: str
    name: str
    year: int | None
    indicators: dict[str, Indicator]
    pools: tuple[Pool, ...]
    grading: Grading
    rules: tuple[Rule, ...] = ()
    policies: tuple[Policy, ...] = ()
    industry_codes: tuple[str, ...] = ()
    land_threshold_mu: float = 5.0
    leased_min_m2: float | None = None
    protected_years: int = 3
    exempt_industries: tuple[str, ...] = ()
    ungraded_as: str = "B"
    publicity: Publicity = Publicity()
    # The document as written (a run stores it); two layouts of one scheme are equal schemes.
    text: str = field(default="", compare=False)

    def pool(self, code: str) -> Pool:
        return next(p for p in self.pools if p.code == code)

    def pool_name(self, code: str) -> str:
        """The pool's name (规上工业企业), or the code of a pool the scheme no longer has."""
        return next((p.name for p in self.pools if p.code == code), code)

    def indicator_name(self, code: str) -> str:
        indicator = self.indicators.get(code)
        return indicator.name if indicator else code

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.text.encode()).hexdigest()

    def used_indicators(self) -> list[Indicator]:
        """Every indicator some pool weighs, in declaration order."""
        used = {code for pool in self.pools for code in pool.weights}
        return [ind for code, ind in self.indicators.items() if code in used]

    def pool_tags(self) -> list[str]:
        """The tags some pool selects its units by."""
        return [pool.tag for pool in self.pools if pool.tag]

    def needs_prior_year(self) -> bool:
        return any(
            b.method == "prior_mean" for pool in self.pools for b in pool.benchmarks.values()
        )

    def grade_label(self, grade: str | None) -> str:
        if not grade:
            return ""
        label = self.grading.labels.get(grade)
        return f"{grade}({label})" if label else grade

    def in_industry_scope(self, code: str | None) -> bool:
        if not self.industry_codes or not code:
            return True
        major = code[:2]
        for spec in self.industry_codes:
            low, _, high = spec.partition("-")
            if low <= major <= (high or low):
                return True
        return False


def list_presets() -> list[tuple[str, str]]:
    """(id, 中文名称) of every shipped preset, by id."""
    return [
        (s.id, s.name) for s in (load_preset(p.stem) for p in sorted(PRESET_DIR.glob("*.toml")))
    ]


def load_preset(preset_id: str) -> Scheme:
    path = PRESET_DIR / f"{preset_id}.toml"
    if not path.is_file() or "/" in preset_id:
        raise SchemeError([f"没有名为「{preset_id}」的预置方案"])
    return parse_scheme(path.read_text(encoding="utf-8"))


def preset_text(preset_id: str) -> str:
    return (PRESET_DIR / f"{preset_id}.toml").read_text(encoding="utf-8")


def parse_scheme(text: str) -> Scheme:
    """Read and validate a scheme document of either layout (``scheme_format``); every problem
    is reported at once. ``text`` is kept as written: a legacy one is upgraded in memory only."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SchemeError([f"不是有效的 TOML:{error}"]) from None
    if document_version(raw) == LEGACY_VERSION:
        raw = upgraded(raw)
    problems: list[str] = []
    head = raw.get("scheme", {})
    if not head.get("id") or not head.get("name"):
        problems.append("[scheme] 须有 id 和 name")
    indicators = _indicators(raw.get("indicator", []), problems)
    pools = tuple(_pool(p, i, indicators, problems) for i, p in enumerate(raw.get("pool", []), 1))
    if not pools:
        problems.append("至少需要一个评价池 [[pool]]")
    grading = _grading(raw.get("grading", {}), indicators, problems)
    rules = tuple(_rule(r, i, grading, problems) for i, r in enumerate(raw.get("rule", []), 1))
    policies = tuple(_policy(p, i, problems) for i, p in enumerate(raw.get("policy", []), 1))
    statuses = raw.get("statuses", {})
    publicity = _publicity(raw.get("publicity", {}), problems)
    if problems:
        raise SchemeError(problems)
    return Scheme(
        id=str(head["id"]),
        name=str(head["name"]),
        year=head.get("year"),
        indicators=indicators,
        pools=pools,
        grading=grading,
        rules=rules,
        policies=policies,
        industry_codes=tuple(head.get("industry_codes", ())),
        land_threshold_mu=float(head.get("land_threshold_mu", 0)),
        leased_min_m2=head.get("leased_min_m2"),
        protected_years=int(head.get("protected_years", 3)),
        exempt_industries=tuple(statuses.get("exempt_industries", ())),
        ungraded_as=str(statuses.get("ungraded_as", "B")),
        publicity=publicity,
        text=text,
    )


def _indicators(entries: list[dict[str, Any]], problems: list[str]) -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for i, entry in enumerate(entries, 1):
        where = f"第{i}个指标 [[indicator]]"
        missing = [k for k in ("code", "name", "numerator", "denominator") if not entry.get(k)]
        if missing:
            problems.append(f"{where} 缺少 {', '.join(missing)}")
            continue
        for key in ("numerator", "denominator"):
            if entry[key] not in FIELDS:
                problems.append(f"{where}「{entry['name']}」的 {key}「{entry[key]}」不是可用字段")
        if entry.get("missing", "exclude") not in MISSING_RULES:
            problems.append(f"{where} missing 须为 {' / '.join(MISSING_RULES)} 之一")
        found[entry["code"]] = Indicator(
            code=entry["code"],
            name=entry["name"],
            numerator=entry["numerator"],
            denominator=entry["denominator"],
            unit=entry.get("unit", ""),
            factor=float(entry.get("factor", 1.0)),
            missing=entry.get("missing", "exclude"),
        )
    return found


def _pool(
    entry: dict[str, Any], i: int, indicators: dict[str, Indicator], problems: list[str]
) -> Pool:
    where = f"评价池「{entry.get('name', i)}」"
    if "weights" in entry:
        problems.append(f"{where} 的指标与权重写在 [[pool.framework]] 中,第1版格式不用 weights")
    read = _framework(entry.get("framework", []), where, problems)
    framework = read or Framework([])
    weights = {code: float(framework.node(code).weight or 0) for code in framework.indicators}
    if not weights and read is not None:
        problems.append(f"{where} 没有指标权重")
    for code, weight in weights.items():
        if code not in indicators:
            problems.append(f"{where} 的权重指向未定义的指标「{code}」")
        elif framework.node(code).name not in (None, indicators[code].name):
            problems.append(f"{where} 指标「{code}」的名称须与 [[indicator]] 中的一致")
        if weight <= 0:
            problems.append(f"{where} 指标「{code}」的权重须为正数")
    benchmarks = {}
    for code in weights:
        given = entry.get("benchmarks", {}).get(code)
        if given is None:
            problems.append(f"{where} 缺少指标「{code}」的基准值")
            continue
        benchmarks[code] = _benchmark(given, f"{where} 指标「{code}」", problems)
    if entry.get("scale", "any") not in SCALES:
        problems.append(f"{where} scale 须为 above / below / any")
    tag = entry.get("tag")
    if tag is not None and (not isinstance(tag, str) or not tag.strip()):
        problems.append(f'{where} tag 须为标签名称,如 "重点排污单位"')
    return Pool(
        code=str(entry.get("code", i)),
        name=str(entry.get("name", i)),
        scale=entry.get("scale", "any"),
        weights=weights,
        benchmarks=benchmarks,
        framework=framework,
        leased=bool(entry.get("leased", False)),
        tag=tag.strip() if isinstance(tag, str) and tag.strip() else None,
        caps=_caps(entry.get("caps", {}), weights, where, problems),
    )


def _framework(entries: Any, where: str, problems: list[str]) -> Framework | None:
    """The pool's ``[[pool.framework]]`` read by the engine's loader: a total (``code =
    "total"``, ``type = "Aggregate"``) and the weighted indicators under it, nothing else, as
    the pool's score is Σ w·x/B. A faulty entry is named by its number, key and fault, and
    None returned."""
    if not entries:
        return Framework([])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(f"{where} 的 framework 须为 [[pool.framework]] 条目")
        return None
    try:
        framework = framework_from_toml(entries, where)
    except FrameworkError as error:
        key = f" {error.column}" if error.column else ""
        problems.append(f"{where} 第{error.row}个 [[pool.framework]] 条目{key}:{error.reason}")
        return None
    faults = [
        node
        for node in framework.nodes
        if node.code != TOTAL
        and (node.type != "Indicator" or node.parent != TOTAL or node.direction != 1)
    ]
    for node in faults:
        problems.append(
            f"{where} 第{node.row}个 [[pool.framework]] 条目「{node.code}」须为总分下的正向指标"
            f'(parent = "{TOTAL}",不设 type 与 direction)'
        )
    if framework.index != TOTAL:
        problems.append(
            f'{where} 的 [[pool.framework]] 须有总分条目 code = "{TOTAL}"、type = "Aggregate"'
        )
        return None
    return None if faults else framework


def _caps(
    given: dict[str, Any], weights: dict[str, float], where: str, problems: list[str]
) -> dict[str, float]:
    caps = {}
    for code, cap in given.items():
        if code not in weights:
            problems.append(f"{where} 的封顶指向本池未计分的指标「{code}」")
        elif isinstance(cap, bool) or not isinstance(cap, int | float) or cap <= 0:
            problems.append(f"{where} 指标「{code}」的封顶须为正数(得分不超过权重的倍数)")
        else:
            caps[code] = float(cap)
    return caps


def _benchmark(given: Any, where: str, problems: list[str]) -> Benchmark:
    if isinstance(given, int | float):
        if given <= 0:
            problems.append(f"{where} 的基准值须为正数")
        return Benchmark(value=float(given))
    method = given.get("method", "fixed")
    if method not in BENCHMARK_METHODS:
        problems.append(f"{where} 的基准方法须为 {' / '.join(BENCHMARK_METHODS)} 之一")
    return Benchmark(
        method=method,
        value=given.get("value"),
        factor=float(given.get("factor", 1.0)),
        percentile=float(given.get("percentile", 50.0)),
    )


def _grading(
    entry: dict[str, Any], indicators: dict[str, Indicator], problems: list[str]
) -> Grading:
    shares = tuple(entry.get("shares", (20, 60, 95)))
    grades = tuple(entry.get("grades", ("A", "B", "C", "D")))
    method = entry.get("method", "quota")
    thresholds = tuple(float(t) for t in entry.get("thresholds", ()))
    cuts = shares if method == "quota" else thresholds
    if len(grades) != len(cuts) + 1:
        problems.append(f"[grading] {len(cuts)} 个分界需要 {len(cuts) + 1} 个等级")
    if method == "quota" and (
        list(shares) != sorted(shares) or not all(0 <= s <= 100 for s in shares)
    ):
        problems.append("[grading] shares 须为递增的累计整数百分比,如 [20, 60, 95]")
    if method not in ("quota", "thresholds"):
        problems.append("[grading] method 须为 quota(按名额)或 thresholds(按分数线)")
    if method == "thresholds" and list(thresholds) != sorted(thresholds, reverse=True):
        problems.append("[grading] thresholds 须为从高到低的分数线,如 [85, 70, 60]")
    if entry.get("rounding", "half_up") not in ("half_up", "floor", "ceil"):
        problems.append("[grading] rounding 须为 half_up / floor / ceil")
    tie_break = entry.get("tie_break", "tax_per_mu")
    if tie_break and tie_break not in indicators:
        problems.append(f"[grading] tie_break 指向未定义的指标「{tie_break}」")
    c_minus = entry.get("c_minus") or {}
    return Grading(
        shares=shares,
        rounding=entry.get("rounding", "half_up"),
        grades=grades,
        labels=dict(entry.get("labels", {})),
        tie_break=tie_break or None,
        method=method,
        thresholds=thresholds,
        c_minus_below=c_minus.get("below"),
        c_minus_label=c_minus.get("label", "C-"),
    )


def _publicity(entry: dict[str, Any], problems: list[str]) -> Publicity:
    default = Publicity()
    low, high = entry.get("min_days", default.min_days), entry.get("max_days", default.max_days)
    if not (type(low) is int and type(high) is int and 1 <= low <= high):
        problems.append("[publicity] min_days、max_days 须为整数天数,且 1 ≤ min_days ≤ max_days")
        return default
    return Publicity(min_days=low, max_days=high)


def _rule(entry: dict[str, Any], i: int, grading: Grading, problems: list[str]) -> Rule:
    where = f"第{i}条规则「{entry.get('name', '')}」"
    if entry.get("action") not in RULE_ACTIONS:
        problems.append(f"{where} action 须为 {' / '.join(RULE_ACTIONS)} 之一")
    if not entry.get("column"):
        problems.append(f"{where} 须指明读取的数据列 column")
    if entry.get("action") == "force_grade" and entry.get("grade") not in grading.grades:
        problems.append(f"{where} 须指定强制等级 grade(可选 {'/'.join(grading.grades)})")
    return Rule(
        name=str(entry.get("name", entry.get("action", ""))),
        action=str(entry.get("action")),
        column=str(entry.get("column", "")),
        points=float(entry.get("points", 1.0)),
        grade=entry.get("grade"),
        max_points=entry.get("max_points"),
    )


def _policy(entry: dict[str, Any], i: int, problems: list[str]) -> Policy:
    where = f"第{i}项政策「{entry.get('name', '')}」"
    kind = entry.get("kind", "surcharge")
    by_grade = dict(entry.get("by_grade", {}))
    if kind not in ("surcharge", "measure"):
        problems.append(f"{where} kind 须为 surcharge 或 measure")
    if kind == "surcharge":
        for grade, steps in by_grade.items():
            if not isinstance(steps, list) or not all(isinstance(s, int | float) for s in steps):
                problems.append(f"{where} 等级 {grade} 的加价须为按连续年数递增的数列")
    return Policy(
        code=str(entry.get("code", i)),
        name=str(entry.get("name", "")),
        kind=kind,
        by_grade=by_grade,
        unit=str(entry.get("unit", "")),
        c_minus_share=entry.get("c_minus_share"),
    )
