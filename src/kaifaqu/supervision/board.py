"""The 督办 board and the overdue figures, computed set-wise on the working-day table.

A supervisor's level follows its office: a province's office supervises 省级 items and below, a
city's 市级 and below, a county's or a zone's 区级. The board lists the open items on it
(``on_board``, set by an escalation rule) at the supervisor's level and below, within its scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Min, QuerySet, Value, When

from kaifaqu.access.choices import Binding
from kaifaqu.access.scope import user_profile
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.choices import RegionLevel
from kaifaqu.supervision.choices import OPEN_STATES, RUNNING_STATES, Level
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.workdays.days import ordinal_at, ordinal_of

LEVEL_OF_REGION: dict[str, Level] = {
    RegionLevel.PROVINCE: Level.PROVINCE,
    RegionLevel.CITY: Level.CITY,
    RegionLevel.COUNTY: Level.DISTRICT,
}


def supervisor_level(user: ActingUser) -> Level | None:
    """The highest level of items the user supervises (None: not a supervising office)."""
    if getattr(user, "is_superuser", False):
        return Level.PROVINCE
    profile = user_profile(user)
    if profile is None or profile.role is None:
        return None
    if profile.role.binding == Binding.ZONE:
        return Level.DISTRICT
    if profile.role.binding == Binding.REGION and profile.region is not None:
        return LEVEL_OF_REGION.get(profile.region.level)
    return None


def with_overdue_days(items: QuerySet[SupervisedItem], today: date) -> QuerySet[SupervisedItem]:
    """Annotate ``overdue_days``: working days past the deadline of a running item (None when
    not overdue, or outside the working-day table), in the same query."""
    today_ordinal = ordinal_of(today)
    if today_ordinal is None:
        return items.annotate(overdue_days=Value(None, output_field=IntegerField()))
    return items.annotate(
        overdue_days=Case(
            When(
                state__in=RUNNING_STATES,
                deadline__lt=today,
                then=Value(today_ordinal) - ordinal_at("deadline"),
            ),
            default=None,
            output_field=IntegerField(),
        )
    )


def board_items(user: ActingUser) -> QuerySet[SupervisedItem]:
    level = supervisor_level(user)
    items = SupervisedItem.objects.restrict(user)
    if level is None:
        return items.none()
    return items.filter(on_board=True, state__in=OPEN_STATES, level__lte=level)


def board_summary(items: QuerySet[SupervisedItem]) -> list[dict[str, Any]]:
    """Per lead unit: the items on the board at each level, and the earliest deadline."""
    rows: Iterable[Mapping[str, object]] = (
        items.order_by()
        .values("lead_unit", "lead_unit__name")
        .annotate(
            total=Count("pk"),
            earliest=Min("deadline"),
            **{
                f"level_{level.value}": Count(Case(When(level=level, then=Value(1))))
                for level in Level
            },
        )
        .order_by("-total", "lead_unit__name")
    )
    return [
        {
            "unit": row["lead_unit__name"] or "(待派单)",
            "unit_id": row["lead_unit"],
            "total": row["total"],
            "earliest": row["earliest"],
            "levels": [row[f"level_{level.value}"] for level in Level],
        }
        for row in rows
    ]
