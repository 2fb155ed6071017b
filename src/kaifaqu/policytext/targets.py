"""Targets: indicator, comparator, value and unit, as the text states them.

Comparators follow the law's reading (DESIGN): 以上 / 不低于 / 不少于 / 达到 / 达 / 至少
include the number (≥); 超 / 超过 / 高于 / 突破 exclude it (>); 以下 / 不超过 / 不高于 / 以内
(≤); 低于 / 少于 (<); a bare figure ("实现…100%", "打造2个…", "增长20%左右") is "=". A value's
scale stays in its unit ("800亿元" → 800, "亿元"). Forms read, first claim first:
- a range "2—3个主导产业" → ≥ 2 and ≤ 3 on the noun after it, or on the noun of the next range
  of its list ("甲建设2-3个、乙建设1-2个主题产业园");
- "A、B分别达到23%、17%" → one target per indicator, in order;
- a count before its noun ("至少引进一个投资超50亿元的产业项目") or after it
  ("引进百亿元以上项目2个"): the figure inside the noun qualifies it and stays in the indicator;
  the counts listed after the first share its verb ("打造2个A、3个B");
- a bounded count before its noun, whatever the verb ("储备3个以上项目包") → ≥ 3;
- a count of those ranking within a place ("2家开发区进入前10位") → = 2 on the ranking;
- "翻一番" / "翻番" → 2 倍 (≥ with 至少);
- a comparator and a figure ending the clause ("规上工业企业达到6000家", "突破3万亿大关": a bare
  scale 万 / 亿 / 万亿 is the unit), a rate's figure ("在线监控率100%"), or a share where no
  comparator stands ("A占B的30%以上" → "A占B" ≥ 30%). A figure followed by more words of its
  phrase ("50亿元以上项目") is not one.
The indicator is the clause before the comparator without its lead-in ("到2025年,全市…"); a list
before it ("A率、B率均达到100%") gives one target per item, and stops at an item with a figure of
its own.
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
_EQUAL = r"增长|增加|提高|提升|下降|降低|减少"
_VERB = rf"(?P<verb>{_AT_MOST}|{_AT_LEAST}|{_MORE}|{_LESS}|{_EQUAL})"
_UNITS = (
    r"个百分点|%|‰|[万亿千百]*(?:美元|元|吨标准煤|吨|千瓦时|千瓦|平方米|平方公里|公顷|亩|"
    r"人次|人|户|家|个|项|件|座|条|台|套|辆|次|位|名|所|倍|公里|米|天|小时|个工作日|工作日)|"
    r"(?:万亿|亿|万)(?![元美吨千平公亩人户家个项件座条台套辆次位名所倍米天小工])"
)
_UNIT = rf"(?P<unit>{_UNITS})"
_COUNTED = r"(?P<unit>个|家|项|所|座|条|名|人)"
_DIGITS = r"\d+(?:\.\d+)?"
_NUMBER = rf"(?P<value>{_DIGITS}|[零一二两三四五六七八九十百千]{{1,4}})"
_QUALIFIER = r"(?P<qualifier>以上|以下|以内|左右)?"
_NOUN = r"(?P<noun>(?!以上|以下|左右)[^,,。;;、\n]{2,30})"
# "突破3万亿大关": the milestone's noun closes the figure like the end of its clause.
_MILESTONE = r"(?:大关|关口)?"
_TARGET = re.compile(rf"{_VERB}[^,,。;;、\d()]{{0,14}}?{_NUMBER}{_UNIT}{_QUALIFIER}{_MILESTONE}")
# "A占B的30%以上": a share of a whole, read where no comparator verb stands before the figure.
_SHARE = re.compile(
    rf"占(?P<whole>[^,,。;;、\d()]{{1,14}}?)的?(?P<value>{_DIGITS})(?P<unit>%){_QUALIFIER}"
)
_RATE = re.compile(rf"(?<=率|例|重)(?P<value>{_DIGITS})(?P<unit>%){_QUALIFIER}")
# A range's noun may be shared with the next range of a list: "甲建设2-3个、乙建设1-2个主题产业园".
_RANGE = re.compile(rf"(?P<low>\d+)[—–~～至到-](?P<high>\d+){_COUNTED}(?:{_NOUN}|(?=、))")
_RESPECTIVELY = re.compile(
    rf"分别{_VERB}(?P<values>{_DIGITS}{_UNIT}?(?:、{_DIGITS}(?:{_UNITS})?)+)"
)
_ACTION = r"(?P<action>引进|招引|新增|培育|建成|建设|创建|打造|实施|落地|确保)"
_COUNT_FIRST = re.compile(
    rf"(?P<verb>至少|不少于|力争)?{_ACTION}[^,,。;;、\d]{{0,4}}?{_NUMBER}{_UNIT}{_NOUN}"
)
_COUNT_AFTER = re.compile(
    rf"{_ACTION}(?P<noun>[^,,。;;、\n]{{1,20}}?)(?P<value>\d+){_COUNTED}{_QUALIFIER}"
)
# "储备3个以上产业集群项目包": a count with its bound, before its noun, whatever the verb. After a
# preposition ("对3家以上企业给予奖励") the count is a condition of the measure, not its goal; a
# count of persons ("100人以上企业") sizes the noun.
_COUNT_BOUNDED = re.compile(
    r"(?<![\d.对向为给与和及在按])(?P<value>\d+)(?P<unit>个|家|项|所|座|条)(?P<qualifier>以上|以下)"
    r"的?(?P<noun>[^,,。;;、\n]{2,30})"
)
# The next count of a list that shares the first one's verb: "打造2个A、3个B".
_COUNT_NEXT = re.compile(rf"、{_NUMBER}{_UNIT}{_NOUN}")
# "2家开发区进入前10位": a count of those ranking within a place; the rank is the indicator.
_RANK = re.compile(
    r"(?P<verb>至少|不少于|力争|确保)?(?<![\d.])(?P<value>\d+|[一二两三四五六七八九十]{1,3})"
    r"(?P<unit>家|个|所|座|项|名)(?P<noun>[^,,。;;、\n\d]{0,20}?"
    r"(?:进入|跻身|位列|位居|位于|排名|排在)(?:全国|全省|全市|全球|世界|同类)?"
    r"前(?:\d+|[一二三四五六七八九十百]{1,3})(?:位|名|强))"
)
# A noun that ends in a comparator is no counted noun: "建成重点实验室达160家" is the figure's.
_ENDS_IN_COMPARATOR = re.compile(rf"(?:{_AT_MOST}|{_AT_LEAST}|{_MORE}|{_LESS})$")
_DOUBLE = re.compile(r"(?P<verb>至少)?(?:实现)?翻一?番")
_CLAUSE_END = ",,。;;、)\n"
_LEAD_IN = re.compile(
    r"^(到|至|力争|争取|确保|实现|其中|同时|并|且|“?十[一二三四五六七八九]?五”?(末|期末|期间)|"
    r"\d{4}年(底|末)?(前)?|\d{1,2}月底前|每年|全年)+[,,]?"
)

_COMPARATORS: tuple[tuple[str, Comparator], ...] = (
    (_AT_MOST, "<="),
    (_AT_LEAST, ">="),
    (_MORE, ">"),
    (_LESS, "<"),
    (_EQUAL, "="),
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


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text[0].isdigit() else chinese_number(text)


def _comparator(verb: str, qualifier: str | None) -> Comparator:
    if qualifier in ("以下", "以内"):
        return "<="
    if qualifier == "以上" and not re.fullmatch(_MORE, verb):
        return ">="
    for pattern, comparator in _COMPARATORS:
        if verb and re.fullmatch(pattern, verb):
            return comparator
    return "="


_FIGURE = re.compile(rf"{_DIGITS}(?:{_UNITS})")


def _indicators(text: str, floor: int, verb_at: int, marked: bool = False) -> list[tuple[int, str]]:
    """The clause before the comparator, without its lead-in; where a list joined by 、 ends in it,
    each item of the list, in order, if the list is of indicators: marked so ("A率、B率均达到…",
    or ``marked`` by the caller), or of items of four characters or more with no "等" or "的"
    binding them into one noun. Else the whole list is one indicator ("智能车间、工厂、“专精特新”
    小巨人数量"). The list stops at an item that states a figure of its own ("A达到50%、B达到30%"):
    that item is a target, not one more indicator of this one."""
    start = verb_at
    while start > floor and text[start - 1] not in _CLAUSE_END:
        start -= 1
    lead_in = _LEAD_IN.match(text[start:verb_at])
    if lead_in is not None:
        start += lead_in.end()
    items = [(start, verb_at)]
    while start - 1 > floor and text[start - 1] == "、":
        item_end = start - 1
        start = item_end
        while start > floor and text[start - 1] not in _CLAUSE_END:
            start -= 1
        if _FIGURE.search(text, start, item_end):
            break
        lead_in = _LEAD_IN.match(text[start:item_end])
        if lead_in is not None:
            start += lead_in.end()
        items.insert(0, (start, item_end))
    named = [(s, re.sub(r"\s+", "", text[s:e]).rstrip("均都各将分别")) for s, e in items]
    named = [(s, name) for s, name in named if name]
    marked = (
        marked
        or text[verb_at - 1 : verb_at] in ("均", "都")
        or text[verb_at - 2 : verb_at] == "分别"
    )
    separate = all(len(name) >= 4 for _, name in named[:-1]) and not re.search(
        "[等的]", named[-1][1] if named else ""
    )
    if len(named) > 1 and not (marked or separate):
        return [(named[0][0], "、".join(name for _, name in named))]
    return named


class _Finder:
    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end
        self.found: list[FoundTarget] = []
        self.taken: list[tuple[int, int]] = []

    def free(self, match: re.Match[str], clause_end: bool) -> bool:
        after = match.end()
        if clause_end and after < self.end and self.text[after] not in _CLAUSE_END:
            return False
        return not any(s < match.end() and match.start() < e for s, e in self.taken)

    def add(self, indicator: str, comparator: Comparator, value: Decimal, unit: str,
            start: int, end: int) -> None:  # fmt: skip
        self.found.append(FoundTarget(indicator, comparator, value, unit, start, end))

    def ranges(self) -> None:
        pending: list[re.Match[str]] = []  # ranges waiting for the noun of a later one
        for match in _RANGE.finditer(self.text, self.start, self.end):
            if not self.free(match, clause_end=False):
                continue
            if pending and re.search(r"[,,。;;\n]", self.text[pending[-1].end() : match.start()]):
                pending = []  # the list ended before this range
            pending.append(match)
            noun = match.group("noun")
            if noun is None:
                continue
            for waiting in pending:
                self.taken.append(waiting.span())
                unit = waiting.group("unit")
                self.add(noun, ">=", Decimal(waiting.group("low")), unit, *waiting.span())
                self.add(noun, "<=", Decimal(waiting.group("high")), unit, *waiting.span())
            pending = []

    def respectively(self) -> None:
        for match in _RESPECTIVELY.finditer(self.text, self.start, self.end):
            if not self.free(match, clause_end=True):
                continue
            values = re.findall(rf"({_DIGITS})({_UNITS})?", match.group("values"))
            indicators = _indicators(self.text, self.start, match.start(), marked=True)
            if len(values) != len(indicators):
                continue
            self.taken.append(match.span())
            last_unit = values[-1][1]
            comparator = _comparator(match.group("verb"), None)
            for (start, indicator), (value, unit) in zip(indicators, values, strict=True):
                self.add(
                    indicator, comparator, Decimal(value), unit or last_unit, start, match.end()
                )

    def counts(self) -> None:
        for pattern in (_RANK, _COUNT_FIRST, _COUNT_AFTER, _COUNT_BOUNDED):
            for match in pattern.finditer(self.text, self.start, self.end):
                if not self.free(match, clause_end=pattern is not _RANK):
                    continue
                value = _number(match.group("value"))
                stated = match.groupdict()
                # A count in words with no comparator names a slogan ("打造两个先行"), not a goal.
                if value is None or not (
                    match.group("value")[0].isdigit() or stated.get("verb") or pattern is _RANK
                ):
                    continue
                if _ENDS_IN_COMPARATOR.search(match.group("noun")):
                    continue
                comparator = _comparator(stated.get("verb") or "", stated.get("qualifier"))
                if pattern is not _COUNT_BOUNDED and (
                    stated.get("verb") or stated.get("qualifier")
                ):
                    comparator = ">="
                self.taken.append(match.span())
                noun = match.group("noun").strip()
                self.add(noun, comparator, value, match.group("unit"), *match.span())
                if pattern is _COUNT_FIRST:
                    self.listed(match.end(), comparator)

    def listed(self, at: int, comparator: Comparator) -> None:
        """The counts that follow one, joined by 、, each with its own noun."""
        while (match := _COUNT_NEXT.match(self.text, at, self.end)) is not None:
            value = _number(match.group("value"))
            if value is None or not self.free(match, clause_end=True):
                return
            self.taken.append(match.span())
            self.add(match.group("noun"), comparator, value, match.group("unit"), *match.span())
            at = match.end()

    def doubles(self) -> None:
        for match in _DOUBLE.finditer(self.text, self.start, self.end):
            if not self.free(match, clause_end=True):
                continue
            self.taken.append(match.span())
            comparator: Comparator = ">=" if match.group("verb") else "="
            for start, indicator in _indicators(self.text, self.start, match.start()):
                self.add(indicator, comparator, Decimal(2), "倍", start, match.end())

    def figures(self) -> None:
        for pattern in (_TARGET, _RATE, _SHARE):
            for match in pattern.finditer(self.text, self.start, self.end):
                if not self.free(match, clause_end=True):
                    continue
                value = _number(match.group("value"))
                if value is None:
                    continue
                verb = match.groupdict().get("verb") or ""
                comparator = _comparator(verb, match.group("qualifier"))
                indicators = _indicators(self.text, self.start, match.start())
                if not indicators:
                    continue
                self.taken.append(match.span())
                # A share names its whole: "A占B的30%" is A's share of B.
                share = f"占{match.group('whole')}" if pattern is _SHARE else ""
                for start, indicator in indicators:
                    self.add(
                        indicator + share,
                        comparator,
                        value,
                        match.group("unit"),
                        start,
                        match.end(),
                    )


def targets(text: str, start: int, end: int) -> Iterator[FoundTarget]:
    """The targets stated in text[start:end], in order."""
    finder = _Finder(text, start, end)
    finder.ranges()
    finder.respectively()
    finder.counts()
    finder.doubles()
    finder.figures()
    return iter(sorted(finder.found, key=lambda target: target.start))
