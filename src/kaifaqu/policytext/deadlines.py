"""Deadlines: the dates, recurrences and plan-period ends a measure's text sets.

"2022年6月底前" → 2022-06-30; "2022年12月31日前" → that day; "6月底前" (no year) → the first
such month end on or after the date of issue; "年底前"/"年内" → 31 December of the issue year;
"到2025年"/"2025年底" → 2025-12-31; "十四五末"/"“十四五”期间" → the plan's last day (2025-12-31);
"2023年上半年" → 06-30, "下半年" → 12-31, "2023年一季度"/"第三季度末" → the quarter's last day (with
no year: the first such end on or after the date of issue); "三年内"/"6个月内" → that long after the
date of issue; "每年" → yearly, "每季度" → quarterly, "每月" → monthly, "定期" → periodic. A measure
with units but none of these is a standing task (see ``extract``).

Not deadlines: a date that is a baseline ("比2020年增长", "较“十三五”末提高", "与2020年相比"), a
start ("2023年起", "自2023年"), or part of a document's title ("《…行动计划(2018—2020年)》").
"""

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .model import DeadlineKind, Recurrence

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_COUNTS = _CHINESE_DIGITS | {"两": 2, "十": 10}


@dataclass(frozen=True)
class FoundDeadline:
    kind: DeadlineKind
    due: date | None
    recurrence: Recurrence | None
    start: int  # offsets in the normalised text
    end: int


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _quarter(text: str) -> int:
    return int(text) if text.isdigit() else _CHINESE_DIGITS[text]


def _plan_number(text: str) -> int:
    """十四 → 14, 十五 → 15, 十三 → 13: the number of a five-year plan."""
    if text.startswith("十"):
        return 10 + _CHINESE_DIGITS.get(text[1:], 0)
    return _CHINESE_DIGITS.get(text, 0)


_YEAR = r"(20\d\d)"
_MONTH = r"(1[0-2]|0?[1-9])"
_PERIOD_END = r"(?:末|底)?(?:前|之前|以前)?"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "within",
        re.compile(r"(?<![\d年])(\d{1,2}|[一二两三四五六七八九十])(年|个月)(?:以内|之内|内)"),
    ),
    ("half", re.compile(rf"(?:{_YEAR}年)?([上下])半年{_PERIOD_END}")),
    ("quarter", re.compile(rf"(?:{_YEAR}年)?第?([一二三四1-4])季度{_PERIOD_END}")),
    ("day", re.compile(rf"{_YEAR}年{_MONTH}月(3[01]|[12]\d|0?[1-9])日(?:前|之前|以前)")),
    ("year_month", re.compile(rf"{_YEAR}年?{_MONTH}月(?:底|末)?(?:前|之前|以前)?(?![\d日])")),
    ("year_end", re.compile(rf"{_YEAR}年(?:底|末)(?:前|之前|以前)?")),
    ("month", re.compile(rf"(?<![\d年]){_MONTH}月(?:底|末)(?:前|之前|以前)?")),
    ("this_year", re.compile(r"(?<![\d年])(?:年底|年末)(?:前|之前|以前)|年内")),
    ("plan", re.compile(r"[“\"]?(十[一二三四五六七八九]?)五[”\"]?(?:末|期末|时期末|期间)")),
    ("year", re.compile(rf"(?:到|至|截至|截止|力争|于|在)?{_YEAR}年(?![\d年月度底末以来初起])")),
    ("yearly", re.compile(r"每年|年年|每一年")),
    ("quarterly", re.compile(r"每季度|每个季度|按季度")),
    ("monthly", re.compile(r"每月|每个月|按月")),
    ("periodic", re.compile(r"定期")),
)


# A document's title: its dates name the document, not a deadline.
_TITLE = re.compile(r"《[^《》\n]*》")
# A date compared with ("比2020年", "较“十三五”末") or counted from ("自2023年", "2023年起").
# ("占比到2025年" is a share and its deadline.)
_BASELINE_BEFORE = re.compile(r"(?:(?<!占)比|较|相比|相较|同比|自|从)[“\"]?$")
_BASELINE_AFTER = re.compile(r"\s*(?:相比|相较|起|开始|以来)")


def deadlines(text: str, start: int, end: int, issued: date | None) -> Iterator[FoundDeadline]:
    """The deadlines in text[start:end], in order; a span claimed by one pattern is not re-read."""
    taken: list[tuple[int, int]] = [m.span() for m in _TITLE.finditer(text, start, end)]
    found: list[FoundDeadline] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if _BASELINE_BEFORE.search(text, max(0, match.start() - 4), match.start()) or (
                _BASELINE_AFTER.match(text, match.end())
            ):
                taken.append(match.span())  # a baseline or a start, claimed so no part is read
                continue
            deadline = _read(kind, match, issued)
            if deadline is not None:
                taken.append(match.span())
                found.append(deadline)
    return iter(sorted(found, key=lambda deadline: deadline.start))


def _read(kind: str, match: re.Match[str], issued: date | None) -> FoundDeadline | None:
    start, end = match.span()
    due: date | None = None
    if kind in ("yearly", "quarterly", "monthly", "periodic"):
        recurrence: Recurrence = kind  # type: ignore[assignment]
        return FoundDeadline("recurring", None, recurrence, start, end)
    if kind == "day":
        due = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif kind == "year_month":
        due = _month_end(int(match.group(1)), int(match.group(2)))
    elif kind in ("year_end", "year"):
        due = date(int(match.group(1)), 12, 31)
    elif kind == "plan":
        number = _plan_number(match.group(1))
        if number < 6:
            return None
        due = date(1955 + 5 * number, 12, 31)
    elif kind in ("half", "quarter"):
        last_month = {"上": 6, "下": 12}.get(match.group(2)) or 3 * _quarter(match.group(2))
        if match.group(1) is not None:
            due = _month_end(int(match.group(1)), last_month)
        elif issued is not None:
            due = _month_end(issued.year, last_month)
            if due < issued:
                due = _month_end(issued.year + 1, last_month)
    elif issued is not None and kind == "within":
        count = int(match.group(1)) if match.group(1).isdigit() else _COUNTS[match.group(1)]
        months = issued.month - 1 + count * (12 if match.group(2) == "年" else 1)
        year, month = issued.year + months // 12, months % 12 + 1
        due = date(year, month, min(issued.day, calendar.monthrange(year, month)[1]))
    elif issued is not None and kind == "this_year":
        due = date(issued.year, 12, 31)
    elif issued is not None and kind == "month":
        due = _month_end(issued.year, int(match.group(1)))
        if due < issued:
            due = _month_end(issued.year + 1, int(match.group(1)))
    if due is None:
        return None
    return FoundDeadline("date", due, None, start, end)
