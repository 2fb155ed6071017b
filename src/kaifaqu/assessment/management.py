"""Dynamic management (动态管理): the framework's rules evaluated over the run history.

Pure functions over plain positions, no Django. Rules fire on the nominal rank; where a firing
rests on a rank whose 5th–95th interval crosses the rule's boundary, it is flagged "not
distinguishable from the boundary" for the reviewer.

>>> history = {2025: {"A": Position(rank=10, size=10, group_rank=5, group_size=5)}}
>>> rule = ManagementRule("b", "后1位", "bottom", "talk", n=1)
>>> [(f.zone, f.years) for f in evaluate([rule], history, 2025)]
[('A', [2025])]
"""

from __future__ import annotations

from dataclasses import dataclass

from kaifaqu.assessment.framework import ManagementRule


@dataclass(frozen=True)
class Position:
    """A zone's rank in one year's run; ``published`` is the rank 进位 and streaks use."""

    rank: int
    size: int
    group_rank: int | None = None
    group_size: int | None = None
    interval: tuple[float, float] | None = None
    group_interval: tuple[float, float] | None = None
    published_by: str = "overall"

    def ranked(self, which: str) -> tuple[int | None, int | None, tuple[float, float] | None]:
        if which == "group":
            return self.group_rank, self.group_size, self.group_interval
        return self.rank, self.size, self.interval

    @property
    def published(self) -> int | None:
        return self.ranked(self.published_by)[0]

    @property
    def published_interval(self) -> tuple[float, float] | None:
        return self.ranked(self.published_by)[2]


@dataclass(frozen=True)
class Firing:
    zone: str
    rule: ManagementRule
    years: list[int]
    undistinguishable: bool
    detail: str


History = dict[int, dict[str, Position]]


def progress(previous: int | None, current: int | None) -> int | None:
    """进位 = rank(t−1) − rank(t): positive means the zone moved up; None without both ranks."""
    if previous is None or current is None:
        return None
    return previous - current


def evaluate(rules: list[ManagementRule], history: History, year: int) -> list[Firing]:
    """Every rule on every zone ranked in ``year``, in rule order, then zone code."""
    firings = []
    for rule in rules:
        check = CHECKS[rule.kind]
        for zone in sorted(history.get(year, {})):
            firing = check(rule, history, year, zone)
            if firing is not None:
                firings.append(firing)
    return firings


def _in_bottom(rule: ManagementRule, position: Position | None) -> tuple[bool, bool]:
    """(fires, certain): in the bottom ``n`` by the nominal rank; certain when the whole
    interval lies inside the bottom ``n`` too."""
    if position is None:
        return False, False
    rank, size, interval = position.ranked(rule.rank)
    if rank is None or size is None:
        return False, False
    boundary = size - rule.n + 1
    fires = rank >= boundary
    return fires, fires and (interval is None or interval[0] >= boundary)


def _bottom(rule: ManagementRule, history: History, year: int, zone: str) -> Firing | None:
    fires, certain = _in_bottom(rule, history[year][zone])
    if not fires:
        return None
    rank = history[year][zone].ranked(rule.rank)[0]
    return Firing(zone, rule, [year], not certain, f"{year}年名次 {rank}")


def _top(rule: ManagementRule, history: History, year: int, zone: str) -> Firing | None:
    rank, _, interval = history[year][zone].ranked(rule.rank)
    if rank is None or rank > rule.n:
        return None
    certain = interval is None or interval[1] <= rule.n
    return Firing(zone, rule, [year], not certain, f"{year}年名次 {rank}")


def _bottom_in_years(rule: ManagementRule, history: History, year: int, zone: str) -> Firing | None:
    """Bottom ``n`` in at least ``k`` of the ``m`` years ending now, this year among them."""
    window = range(year - rule.m + 1, year + 1)
    marks = {y: _in_bottom(rule, history.get(y, {}).get(zone)) for y in window}
    years = [y for y in window if marks[y][0]]
    if year not in years or len(years) < rule.k:
        return None
    certain = sum(1 for y in years if marks[y][1])
    detail = f"{rule.m}年内{len(years)}次位列后{rule.n}位"
    return Firing(zone, rule, years, certain < rule.k, detail)


def _streak(rule: ManagementRule, history: History, year: int, zone: str) -> Firing | None:
    """``years`` consecutive moves in one direction (falls or rises of the published rank)."""
    sign = -1 if rule.kind == "fall_streak" else 1
    years, certain = [], True
    for y in range(year - rule.years + 1, year + 1):
        now, before = history.get(y, {}).get(zone), history.get(y - 1, {}).get(zone)
        moved = progress(before.published if before else None, now.published if now else None)
        if moved is None or moved * sign <= 0:
            return None
        years.append(y)
        interval = now.published_interval if now else None
        if interval is not None and before is not None and before.published is not None:
            certain &= not interval[0] <= before.published <= interval[1]
    verb = "退位" if sign < 0 else "进位"
    return Firing(zone, rule, years, not certain, f"连续{rule.years}年{verb}")


CHECKS = {
    "bottom": _bottom,
    "top": _top,
    "bottom_in_years": _bottom_in_years,
    "fall_streak": _streak,
    "rise_streak": _streak,
}
