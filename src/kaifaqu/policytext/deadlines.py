"""Deadlines: the dates, recurrences and plan-period ends a measure's text sets.

"2022年6月底前" → 2022-06-30; "2022年12月31日前" → that day; "6月底前" (no year) → the first
such month end on or after the date of issue; "年底前"/"年内" → 31 December of the issue year;
"到2025年"/"2025年底" → 2025-12-31; "十四五末"/"“十四五”期间" → the plan's last day (2025-12-31);
"每年" → yearly, "每季度" → quarterly, "每月" → monthly, "定期" → periodic. A measure with units
but none of these is a standing task (see ``extract``).
"""

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .model import DeadlineKind, Recurrence

_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class FoundDeadline:
    kind: DeadlineKind
    due: date | None
    recurrence: Recurrence | None
    start: int  # offsets in the normalised text
    end: int


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _plan_number(text: str) -> int:
    """十四 → 14, 十五 → 15, 十三 → 13: the number of a five-year plan."""
    if text.startswith("十"):
        return 10 + _CHINESE_DIGITS.get(text[1:], 0)
    return _CHINESE_DIGITS.get(text, 0)


_YEAR = r"(20\d\d)"
_MONTH = r"(1[0-2]|0?[1-9])"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("day", re.compile(rf"{_YEAR}年{_MONTH}月(3[01]|[12]\d|0?[1-9])日(?:前|之前|以前)")),
    ("year_month", re.compile(rf"{_YEAR}年?{_MONTH}月(?:底|末)?(?:前|之前|以前)?(?![\d日])")),
    ("year_end", re.compile(rf"{_YEAR}年(?:底|末)(?:前|之前|以前)?")),
    ("month", re.compile(rf"(?<![\d年]){_MONTH}月(?:底|末)(?:前|之前|以前)?")),
    ("this_year", re.compile(r"(?<![\d年])(?:年底|年末)(?:前|之前|以前)|年内")),
    ("plan", re.compile(r"[“\"]?(十[一二三四五六七八九]?)五[”\"]?(?:末|期末|时期末|期间)")),
    ("year", re.compile(rf"(?:到|至|截至|截止|力争|于|在)?{_YEAR}年(?![\d年月度底末以来初])")),
    ("yearly", re.compile(r"每年|年年|每一年")),
    ("quarterly", re.compile(r"每季度|每个季度|按季度")),
    ("monthly", re.compile(r"每月|每个月|按月")),
    ("periodic", re.compile(r"定期")),
)


def deadlines(text: str, start: int, end: int, issued: date | None) -> Iterator[FoundDeadline]:
    """The deadlines in text[start:end], in order; a span claimed by one pattern is not re-read."""
    taken: list[tuple[int, int]] = []
    found: list[FoundDeadline] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            if any(s < match.end() and match.start() < e for s, e in taken):
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
    elif issued is not None and kind == "this_year":
        due = date(issued.year, 12, 31)
    elif issued is not None and kind == "month":
        due = _month_end(issued.year, int(match.group(1)))
        if due < issued:
            due = _month_end(issued.year + 1, int(match.group(1)))
    if due is None:
        return None
    return FoundDeadline("date", due, None, start, end)
