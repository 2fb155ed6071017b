"""Differentiated resource allocation (METHODS §1.5), without Django.

A surcharge policy gives per grade a list of amounts by consecutive years in that grade
(D: 0.05 → 0.10 → 0.15 元/kWh; beyond the list the last amount stays); C- pays a set share of
D's amount. Where other surcharges (差别/惩罚/阶梯电价) also apply, only the highest applies.

>>> from kaifaqu.mujun.scheme import Policy
>>> power = Policy("power", "电价", "surcharge", {"D": [0.05, 0.10, 0.15]}, "元/kWh", 0.5)
>>> surcharge(power, "D", 2), surcharge(power, "D", 5), surcharge(power, "C-", 1)
(0.1, 0.15, 0.025)
>>> surcharge(power, "D", 1, others=[0.08, 0.03])
0.08
"""

from __future__ import annotations

from collections.abc import Iterable

from kaifaqu.mujun.scheme import Policy, Scheme


def surcharge(
    policy: Policy,
    grade: str | None,
    years_in_grade: int | None,
    *,
    c_minus_label: str = "C-",
    others: Iterable[float] = (),
) -> float:
    """The amount a unit pays under ``policy``: the highest of the grade schedule and ``others``."""
    own = _scheduled(policy, grade, years_in_grade or 1, c_minus_label)
    return max([own, *others])


def _scheduled(policy: Policy, grade: str | None, years: int, c_minus_label: str) -> float:
    if not grade:
        return 0.0
    if grade == c_minus_label and policy.c_minus_share is not None:
        return round(policy.c_minus_share * _scheduled(policy, "D", 1, c_minus_label), 6)
    steps = policy.by_grade.get(grade)
    if not steps:
        return 0.0
    return float(steps[min(years, len(steps)) - 1])


def measure(policy: Policy, grade: str | None) -> str:
    """A non-price measure (land, credit, energy quota) for a grade; C- follows C."""
    if not grade:
        return ""
    return str(policy.by_grade.get(grade) or policy.by_grade.get(grade.rstrip("-+"), ""))


def years_in_grade(
    grade: str | None, previous_grade: str | None, previous_years: int | None
) -> int | None:
    """Consecutive years in the same grade, counting this one (None when not graded).

    >>> years_in_grade("D", "D", 2), years_in_grade("D", "C", 1), years_in_grade(None, "D", 3)
    (3, 1, None)
    """
    if not grade:
        return None
    if grade == previous_grade:
        return (previous_years or 1) + 1
    return 1


def applied(scheme: Scheme, policy: Policy, grade: str | None, years: int | None) -> float | str:
    """What ``policy`` gives a unit managed as ``grade`` for ``years`` consecutive years: a
    surcharge's amount in the policy's unit (0 for none), a measure's text ("" for none)."""
    if policy.kind == "surcharge":
        return surcharge(policy, grade, years, c_minus_label=scheme.grading.c_minus_label)
    return measure(policy, grade)


def policy_header(policy: Policy) -> str:
    """A surcharge column holds amounts in the policy's unit, named once in the header."""
    if policy.kind == "surcharge" and policy.unit:
        return f"{policy.name}({policy.unit})"
    return policy.name


def applied_text(policy: Policy, value: float | str) -> str:
    """``applied``'s value in words: 加价 0.1 元/kWh, 不加价, or the measure."""
    if policy.kind == "surcharge":
        return f"加价 {value:g} {policy.unit}" if value else "不加价"
    return str(value) or "—"


def policy_rows(scheme: Scheme, grade: str | None, years: int | None) -> list[tuple[str, str]]:
    """(policy name, what applies) for a result card."""
    return [
        (policy.name, applied_text(policy, applied(scheme, policy, grade, years)))
        for policy in scheme.policies
    ]
