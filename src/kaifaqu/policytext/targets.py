"""Targets: indicator, comparator, value and unit, as the text states them.

Comparators follow the law's reading (DESIGN): 以上 / 不低于 / 不少于 / 达到 / 至少 include the
number (≥); 超 / 超过 / 高于 / 突破 exclude it (>); 以下 / 不超过 / 以内 (≤); 低于 / 少于 (<).
A value's scale stays in its unit ("800亿元" → 800, "亿元"). A number followed by more words of
the same phrase ("50亿元以上项目", "超50亿元的产业项目")
qualifies a noun and is not a target by itself.
The indicator is the clause before the comparator, without its lead-in ("到2025年,全市…").
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .model import Comparator

_AT_LEAST = r"力争达到|达到|达|不低于|不少于|至少|提高到|提升到|提高至|提升至|增至|增长到|保持在"
_MORE = r"超过|超|高于|突破|大于|多于"
_AT_MOST = r"不超过|不高于|控制在|降至|降低到|下降到"
_LESS = r"低于|少于"
_VERB = rf"(?P<verb>{_AT_MOST}|{_AT_LEAST}|{_MORE}|{_LESS})"
_UNIT = (
    r"(?P<unit>个百分点|%|‰|[万亿千百]*(?:美元|元|吨标准煤|吨|千瓦时|千瓦|平方米|平方公里|公顷|亩|"
    r"人次|人|户|家|个|项|件|座|条|台|套|辆|次|位|名|所|倍|公里|米|天|小时|个工作日|工作日))"
)
_CHINESE_NUMBER = "零一二两三四五六七八九十百千"
_NUMBER = rf"(?P<value>\d+(?:\.\d+)?|[{_CHINESE_NUMBER}]{{1,4}})"
_QUALIFIER = r"(?P<qualifier>以上|以下|以内|左右)?"
_TARGET = re.compile(rf"{_VERB}[^,,。;;、\d()]{{0,14}}?{_NUMBER}{_UNIT}{_QUALIFIER}")
_ACTION = r"(?P<action>引进|招引|新增|培育|建成|建设|创建|打造|实施|落地)"
# "至少引进一个投资超50亿元的产业项目": the count first, the noun after it.
_COUNT_FIRST = re.compile(
    rf"(?P<verb>至少|不少于|力争)?{_ACTION}(?P<value>\d+|[一二两三四五六七八九十]{{1,3}})"
    r"(?P<unit>个|家|项|所|座)(?P<noun>[^,,。;;、\n]{2,30})(?P<qualifier>)"
)
# "每年各引进百亿元以上项目2个": the noun first, the count after it.
_COUNT_AFTER = re.compile(
    rf"{_ACTION}(?P<noun>[^,,。;;、\n]{{1,20}}?)(?P<value>\d+)(?P<unit>个|家|项|所|座){_QUALIFIER}"
)
_RATE = re.compile(rf"(?<=率|例|重)(?P<value>\d+(?:\.\d+)?)(?P<unit>%){_QUALIFIER}")
_CLAUSE_END = "，,。;;、)\n"
_LEAD_IN = re.compile(
    r"^(到|至|力争|争取|确保|实现|其中|同时|并|且|“?十[一二三四五六七八九]?五”?(末|期末|期间)|"
    r"\d{4}年(底|末)?(前)?|\d{1,2}月底前|每年|全年|累计)+[,,]?"
)

_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    (_AT_MOST, "<="),
    (_AT_LEAST, ">="),
    (_MORE, ">"),
    (_LESS, "<"),
)


@dataclass(frozen=True)
class FoundTarget:
    indicator: str
    comparator: Comparator
    value: Decimal
    unit: str
    start: int  # offsets in the normalised text: from the indicator to the end of the value
    end: int


def chinese_number(text: str) -> Decimal | None:
    """一 → 1, 两 → 2, 十 → 10, 二十 → 20, 三百 → 300; None for anything else."""
    digits = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
    digits |= {"六": 6, "七": 7, "八": 8, "九": 9}
    total, current = 0, 0
    for character in text:
        if character in digits:
            current = digits[character]
        elif character in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[character]
            current = 0
        else:
            return None
    return Decimal(total + current)


def _comparator(verb: str, qualifier: str | None) -> Comparator:
    if qualifier in ("以下", "以内"):
        return "<="
    if qualifier == "以上" and verb not in re.findall(_MORE, verb):
        return ">="
    for pattern, comparator in _COMPARATORS:
        if re.fullmatch(pattern, verb):
            return comparator
    return "="


def _indicator(text: str, floor: int, verb_at: int) -> tuple[int, str]:
    """The clause before the comparator; a shared one ("A率、B率均达到…") takes its whole list."""
    shared = text[verb_at - 1 : verb_at] in ("均", "都")
    start = verb_at
    while start > floor and (
        text[start - 1] not in _CLAUSE_END or (shared and text[start - 1] == "、")
    ):
        start -= 1
    clause = text[start:verb_at]
    lead_in = _LEAD_IN.match(clause)
    if lead_in is not None:
        start += lead_in.end()
    return start, re.sub(r"\s+", "", text[start:verb_at]).rstrip("均都各将")


def targets(text: str, start: int, end: int) -> Iterator[FoundTarget]:
    found: list[FoundTarget] = []
    taken: list[tuple[int, int]] = []
    for count in (_COUNT_FIRST, _COUNT_AFTER):
        for match in count.finditer(text, start, end):
            after = match.end()
            if after < end and text[after] not in _CLAUSE_END:
                continue
            number = chinese_number(match.group("value")) or Decimal(match.group("value"))
            stated = match.groupdict()
            comparator: Comparator = ">=" if stated.get("verb") or stated["qualifier"] else "="
            indicator = match.group("action") + match.group("noun")
            taken.append(match.span())
            found.append(
                FoundTarget(
                    indicator, comparator, number, match.group("unit"), match.start(), after
                )
            )
    for pattern in (_TARGET, _RATE):
        for match in pattern.finditer(text, start, end):
            after = match.end()
            if after < end and text[after] not in _CLAUSE_END:
                continue
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            raw = match.group("value")
            value = Decimal(raw) if raw[0].isdigit() else chinese_number(raw)
            if value is None:
                continue
            verb = match.groupdict().get("verb") or ""
            comparator = _comparator(verb, match.group("qualifier")) if verb else "="
            if not verb and match.group("qualifier") == "以上":
                comparator = ">="
            indicator_start, indicator = _indicator(text, start, match.start())
            if not indicator:
                continue
            taken.append(match.span())
            found.append(
                FoundTarget(
                    indicator, comparator, value, match.group("unit"), indicator_start, after
                )
            )
    return iter(sorted(found, key=lambda target: target.start))
