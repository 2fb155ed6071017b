"""招商 红黄绿 lights as a rule set (DESIGN "Rule screens as data"): a versioned TOML document
(``rules/lights.toml``) read and checked like a 亩均 scheme or an assessment framework — every
problem reported at once, each naming its place — and evaluated column-wise over all open
projects at once, each light carrying every rule's value and reason.

What a measure reads is code; when it turns yellow or red is the document's:

- ``start_overdue``: not started, days since the planned start (计划开工日期);
- ``statistics_missing``: started but not 入库纳统, days since the start;
- ``investment_lag``: points by which the year's investment lags the plan: the share of the year
  elapsed minus the share of the year's planned investment completed (the plan's completed
  figure when given, else the funds arrived this year).

A date measure's threshold is a span after its anchor (``after = "3mo"``: lit once the as-of
date is past the anchor plus three calendar months); a number measure's is ``at_least`` (≥,
以上) or ``over`` (>, 超), as DESIGN reads thresholds.

>>> rules = load_preset()
>>> [rule.code for rule in rules.rules], rules.version
(['start_overdue', 'investment_lag', 'statistics_missing'], '2026.1')
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import tomlkit

from kaifaqu.investment.kpi_models import Light

PRESET = Path(__file__).parent / "rules" / "lights.toml"
DATE_MEASURES = {"start_overdue": "planned_start", "statistics_missing": "started_on"}
NUMBER_MEASURES = ("investment_lag",)
MEASURE_LABELS = {
    "start_overdue": "开工逾期天数",
    "statistics_missing": "开工后未入库纳统天数",
    "investment_lag": "投资进度滞后百分点",
}
SPAN = re.compile(r"^(\d+)(d|mo)$")
SPAN_UNITS = {"d": "天", "mo": "个月"}
# A light's rank: the worst rule decides.
RANK = {str(Light.GREEN): 0, str(Light.YELLOW): 1, str(Light.RED): 2}
LIGHTS = {rank: light for light, rank in RANK.items()}


class RuleSetError(ValueError):
    """A rule document that cannot be used; ``problems`` lists every fault with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(";".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Threshold:
    """When a rule's light comes on: ``after`` a span, or at ``at_least`` / ``over`` a value."""

    after: str | None = None
    at_least: float | None = None
    over: float | None = None

    def describe(self) -> str:
        """The threshold as a page shows it: 3 个月后, ≥ 10, > 30."""
        if self.after is not None:
            count, unit = span_parts(self.after)
            return f"{count} {SPAN_UNITS[unit]}后"
        if self.at_least is not None:
            return f"≥ {self.at_least:g}"
        return f"> {self.over or 0:g}"

    def lit(self, value: pl.Expr, anchor: pl.Expr, as_of: date) -> pl.Expr:
        if self.after is not None:
            return pl.lit(as_of) > anchor.dt.offset_by(self.after)
        if self.at_least is not None:
            return value >= self.at_least
        return value > (self.over or 0)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    measure: str
    yellow: Threshold
    red: Threshold

    @property
    def measure_label(self) -> str:
        return MEASURE_LABELS[self.measure]


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    rules: tuple[Rule, ...]


def span_parts(span: str) -> tuple[int, str]:
    """A checked span's count and unit: "3mo" → (3, "mo")."""
    found = SPAN.match(span)
    if found is None:
        raise ValueError(span)
    return int(found.group(1)), found.group(2)


def _order_problem(rule: Rule) -> str | None:
    """Red must not come before yellow: a number rule's red threshold not below its yellow one,
    a date rule's red span not shorter (when both count in the same unit)."""
    yellow, red = rule.yellow, rule.red
    if yellow.after is not None and red.after is not None:
        (low, unit), (high, red_unit) = span_parts(yellow.after), span_parts(red.after)
        wrong = unit == red_unit and high < low
    else:
        low_value = yellow.at_least if yellow.at_least is not None else yellow.over
        high_value = red.at_least if red.at_least is not None else red.over
        wrong = low_value is not None and high_value is not None and high_value < low_value
    return f"规则「{rule.name}」:红灯门槛不得低于黄灯门槛" if wrong else None


def preset_text() -> str:
    return PRESET.read_text(encoding="utf-8")


def load_preset() -> RuleSet:
    return parse_rules(preset_text())


def _threshold(raw: Any, place: str, dated: bool, problems: list[str]) -> Threshold:
    if not isinstance(raw, dict):
        problems.append(f'{place}:须为表,如 {{ after = "1mo" }} 或 {{ over = 30 }}')
        return Threshold()
    keys = set(raw)
    allowed = {"after"} if dated else {"at_least", "over"}
    if len(keys) != 1 or not keys <= allowed:
        wanted = "after" if dated else "at_least 或 over"
        problems.append(f"{place}:须且只须给出 {wanted}")
        return Threshold()
    if dated:
        span = raw["after"]
        if not isinstance(span, str) or not SPAN.match(span):
            problems.append(f'{place}:after 须为天数或月数,如 "0d"、"3mo"')
            return Threshold()
        return Threshold(after=span)
    key, value = next(iter(raw.items()))
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(f"{place}:{key} 须为数值")
        return Threshold()
    if key == "at_least":
        return Threshold(at_least=float(value))
    return Threshold(over=float(value))


def _rule(raw: dict[str, Any], position: int, problems: list[str]) -> Rule:
    place = f"第 {position} 条规则 [[rule]]"
    code, measure = str(raw.get("code", "")), str(raw.get("measure", ""))
    if not code or not raw.get("name"):
        problems.append(f"{place}:须有 code 和 name")
    if measure not in MEASURE_LABELS:
        problems.append(f"{place}:measure 须为 {'、'.join(MEASURE_LABELS)} 之一")
    unknown = set(raw) - {"code", "name", "measure", "yellow", "red"}
    if unknown:
        problems.append(f"{place}:未知的键 {'、'.join(sorted(unknown))}")
    dated = measure in DATE_MEASURES
    yellow = _threshold(raw.get("yellow"), f"{place} yellow", dated, problems)
    red = _threshold(raw.get("red"), f"{place} red", dated, problems)
    return Rule(code, str(raw.get("name", "")), measure, yellow, red)


def parse_rules(text: str) -> RuleSet:
    """Read and check a lights document; ``RuleSetError`` lists every problem."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RuleSetError([f"不是有效的 TOML:{error}"]) from None
    problems: list[str] = []
    head = raw.get("ruleset", {})
    if not head.get("name") or not head.get("version"):
        problems.append("[ruleset] 须有 name 和 version")
    rules = tuple(_rule(r, i, problems) for i, r in enumerate(raw.get("rule", []), 1))
    if not rules:
        problems.append("至少需要一条规则 [[rule]]")
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        problems.append("规则的 code 不得重复")
    if not problems:
        problems += filter(None, (_order_problem(rule) for rule in rules))
    if problems:
        raise RuleSetError(problems)
    return RuleSet(str(head["name"]), str(head["version"]), rules)


def edited_document(text: str, version: str, edits: dict[str, dict[str, Any]]) -> str:
    """``text`` with its version set and, per rule code of ``edits``, its name and thresholds
    replaced ({"name": …, "yellow": "3mo" or 10.0, "red": …}); the comments and the order of
    the document stay, and a number rule keeps whether it reads ≥ or >. Not checked here:
    ``parse_rules`` checks the result."""
    document = tomlkit.parse(text)
    document["ruleset"]["version"] = version
    for rule in document.get("rule", []):
        edit = edits.get(str(rule.get("code")))
        if edit is None:
            continue
        rule["name"] = edit["name"]
        for colour in ("yellow", "red"):
            key = next(iter(rule[colour])) if isinstance(rule.get(colour), dict) else "after"
            threshold = tomlkit.inline_table()
            threshold[key] = edit[colour]
            rule[colour] = threshold
    return tomlkit.dumps(document)


def _measure(measure: str, as_of: date) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """A measure's value, its anchor date (for date measures) and whether it applies."""
    if measure in DATE_MEASURES:
        anchor = pl.col(DATE_MEASURES[measure])
        applies = anchor.is_not_null() & (anchor < pl.lit(as_of))
        if measure == "start_overdue":
            applies = applies & pl.col("started_on").is_null()
        else:
            applies = applies & pl.col("statistics_on").is_null()
        return (pl.lit(as_of) - anchor).dt.total_days().cast(pl.Float64), anchor, applies
    year_start = date(as_of.year, 1, 1)
    elapsed = (
        100 * ((as_of - year_start).days + 1) / ((date(as_of.year, 12, 31) - year_start).days + 1)
    )
    done = pl.coalesce("completed", "funds")
    lag = pl.lit(elapsed) - 100 * done / pl.col("planned")
    return lag.round(1), pl.lit(None, dtype=pl.Date), pl.col("planned") > 0


def evaluate(data: pl.DataFrame, rules: RuleSet, as_of: date) -> pl.DataFrame:
    """Each project's ``light`` (green, yellow, red) and, per rule, ``<code>:rank`` (0 green,
    1 yellow, 2 red; null where the rule does not apply) and ``<code>:value``: all projects
    at once. ``reasons_of`` turns a row into its stored reasons."""
    columns: list[pl.Expr] = []
    for rule in rules.rules:
        value, anchor, applies = _measure(rule.measure, as_of)
        rank = (
            pl.when(~applies.fill_null(False))
            .then(None)
            .when(rule.red.lit(value, anchor, as_of).fill_null(False))
            .then(RANK[Light.RED.value])
            .when(rule.yellow.lit(value, anchor, as_of).fill_null(False))
            .then(RANK[Light.YELLOW.value])
            .otherwise(RANK[Light.GREEN.value])
        )
        columns += [
            rank.cast(pl.Int8).alias(f"{rule.code}:rank"),
            value.alias(f"{rule.code}:value"),
        ]
    judged = data.select("id", "province_code", *columns)
    ranks = [f"{rule.code}:rank" for rule in rules.rules]
    worst = pl.max_horizontal(ranks).fill_null(RANK[Light.GREEN.value])
    return judged.with_columns(light=worst.replace_strict(LIGHTS, return_dtype=pl.String))


def reasons_of(row: dict[str, Any], rules: RuleSet) -> list[dict[str, Any]]:
    """The reasons of one row of ``evaluate``: {rule, measure, name, light, value} for every
    rule that applies, in the document's order."""
    return [
        {
            "rule": rule.code,
            "measure": rule.measure,
            "name": rule.name,
            "light": LIGHTS[row[f"{rule.code}:rank"]],
            "value": row[f"{rule.code}:value"],
        }
        for rule in rules.rules
        if row[f"{rule.code}:rank"] is not None
    ]


def reason_text(reason: dict[str, Any]) -> str:
    """A stored reason as a page shows it: 开工逾期:开工逾期天数 45(黄灯)."""
    light = Light(reason["light"]).label
    value = reason.get("value")
    shown = "—" if value is None else f"{value:g}"
    return f"{reason['name']}:{MEASURE_LABELS.get(reason['measure'], '')} {shown}({light})"
