"""The 动态清零 statistics on a hand-made set of items with known answers.

The set, over August–November 2025 (August has no items; 国庆 10/1–10/8 are holidays, Sunday 9/28
and Saturday 10/11 are 调休 working days):

- W (the world's item), east zone: opened 9/26, due 10/16, extended to 10/31 by an approved 延期,
  closed 10/20 — on time because of the extension; 12 working days;
- A, east: opened 10/9, due 10/15, closed 10/15 — exactly on the deadline; 5 working days;
- B, east: opened 10/10, due 10/17, closed 11/3 — late, and overdue at the end of October;
  17 working days;
- C, west: opened 10/20, due 10/31, still open — overdue at the end of November only;
- D, west: opened 11/5, due 11/20, closed 11/28 — late; 17 working days;
- E, east: opened 9/1, no deadline, closed 10/9 — on time; 23 working days;
- F, east: opened 11/10, due 12/31, still open — not overdue.
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.supervision import actions
from kaifaqu.supervision.choices import ItemState, Level
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.supervision.statistics import (
    FIGURES,
    ClearingFigures,
    clearing_by_month,
    clearing_figures,
    figure_items,
)
from kaifaqu.workdays.days import working_days_between

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
START, END = date(2025, 8, 1), date(2025, 11, 30)


@pytest.fixture
def items(world: dict[str, Any]) -> dict[str, SupervisedItem]:
    users, units, zones = world["users"], world["units"], world["zones"]
    w = world["item"]
    actions.assign(w, lead_unit=units["committee"], acting_user=users["east"])
    actions.accept(w, acting_user=users["clerk"])
    actions.request_extension(
        w, until=date(2025, 10, 31), reason="需配合", acting_user=users["clerk"]
    )
    actions.decide_extension(w, approve=True, acting_user=users["east"])
    with time_machine.travel(datetime(2025, 10, 20, 10, 0, tzinfo=SHANGHAI), tick=False):
        actions.complete(w, note="已办结", acting_user=users["clerk"])

    def make(zone: str, opened: date, deadline: date | None, closed: date | None) -> SupervisedItem:
        item = actions.create_item(
            kind=w.kind, title="事项", region=zones[zone].region, zone=zones[zone],
            level=Level.DISTRICT, opened=opened, acting_user=users[zone],
        )  # fmt: skip
        unit = units["committee"] if zone == "east" else units["west_bureau"]
        state = ItemState.DONE if closed else ItemState.IN_PROGRESS
        SupervisedItem.objects.filter(pk=item.pk).update(
            deadline=deadline, closed=closed, state=state, lead_unit=unit
        )
        return item

    return {
        "W": w,
        "A": make("east", date(2025, 10, 9), date(2025, 10, 15), date(2025, 10, 15)),
        "B": make("east", date(2025, 10, 10), date(2025, 10, 17), date(2025, 11, 3)),
        "C": make("west", date(2025, 10, 20), date(2025, 10, 31), None),
        "D": make("west", date(2025, 11, 5), date(2025, 11, 20), date(2025, 11, 28)),
        "E": make("east", date(2025, 9, 1), None, date(2025, 10, 9)),
        "F": make("east", date(2025, 11, 10), date(2025, 12, 31), None),
    }


def counts(figures: ClearingFigures) -> tuple[Any, ...]:
    return (
        figures.key,
        *(getattr(figures, figure) for figure in FIGURES),
        figures.median_working_days,
    )


def test_the_hand_counted_working_days(items):
    w = SupervisedItem.objects.get(pk=items["W"].pk)
    assert (w.deadline, w.closed) == (date(2025, 10, 31), date(2025, 10, 20))
    spans = {
        name: working_days_between(item.opened, item.closed)
        for name, item in SupervisedItem.objects.in_bulk([i.pk for i in items.values()]).items()
        if item.closed
    }
    by_name = {name: spans[item.pk] for name, item in items.items() if item.pk in spans}
    assert by_name == {"W": 12, "A": 5, "B": 17, "D": 17, "E": 23}


def test_the_whole_period(items):
    [total] = clearing_figures(SupervisedItem.objects.all(), start=START, end=END)
    # received 7; closed W A B D E; on time W (extended) A (on the day) E (no deadline);
    # overdue C; cleared W A B D E; median of 5 12 17 17 23
    assert counts(total) == ((), 7, 5, 3, 1, 5, 17.0)
    assert (total.on_time_rate, total.clearing_rate) == (3 / 5, 5 / 7)


def test_by_zone(items, world):
    zones = world["zones"]
    figures = clearing_figures(SupervisedItem.objects.all(), start=START, end=END, by=("zone",))
    assert sorted(counts(f) for f in figures) == sorted(
        [
            ((zones["east"].pk,), 5, 4, 3, 0, 4, 14.5),
            ((zones["west"].pk,), 2, 1, 0, 1, 1, 17.0),
        ]
    )
    west = next(f for f in figures if f.key == (zones["west"].pk,))
    assert (west.on_time_rate, west.clearing_rate) == (0.0, 0.5)


def test_by_month_including_a_month_without_items(items):
    months = clearing_by_month(SupervisedItem.objects.all(), start=START, end=END)
    assert [counts(m) for m in months] == [
        ((date(2025, 8, 1),), 0, 0, 0, 0, 0, None),
        ((date(2025, 9, 1),), 2, 0, 0, 0, 0, None),
        ((date(2025, 10, 1),), 3, 3, 3, 1, 1, 12.0),
        ((date(2025, 11, 1),), 2, 2, 0, 1, 1, 17.0),
    ]
    assert (months[0].on_time_rate, months[0].clearing_rate) == (None, None)


def test_by_unit_and_month_cut_to_the_period(items, world):
    units = world["units"]
    months = clearing_by_month(
        SupervisedItem.objects.all(),
        start=date(2025, 10, 10),
        end=date(2025, 11, 15),
        by=("lead_unit",),
    )
    assert [counts(m) for m in months] == [
        # committee: received B; closed A W; overdue at 10/31 B; at 11/15 none (F due 12/31)
        ((units["committee"].pk, date(2025, 10, 1)), 1, 2, 2, 1, 0, 8.5),
        ((units["committee"].pk, date(2025, 11, 1)), 1, 1, 0, 0, 0, 17.0),
        # west bureau: received C; at 11/15 C is overdue, D not yet closed nor overdue
        ((units["west_bureau"].pk, date(2025, 10, 1)), 1, 0, 0, 0, 0, None),
        ((units["west_bureau"].pk, date(2025, 11, 1)), 1, 0, 0, 1, 0, None),
    ]


def test_each_figure_drills_down_to_its_items(items):
    every = SupervisedItem.objects.all()
    october = {"start": date(2025, 10, 1), "end": date(2025, 10, 31)}
    names = {item.pk: name for name, item in items.items()}
    found = {
        figure: sorted(
            names[pk] for pk in figure_items(every, figure, **october).values_list("pk", flat=True)
        )
        for figure in FIGURES
    }
    assert found == {
        "received": ["A", "B", "C"],
        "closed": ["A", "E", "W"],
        "closed_on_time": ["A", "E", "W"],
        "overdue": ["B"],
        "cleared": ["A"],
    }


def test_the_figures_of_any_number_of_items_take_one_query_and_the_medians_another(items):
    with CaptureQueriesContext(connection) as queries:
        clearing_by_month(SupervisedItem.objects.all(), start=START, end=END, by=("zone",))
    # PostgreSQL takes the medians in the same query (percentile_cont)
    assert len(queries) == (1 if connection.vendor == "postgresql" else 2)
    assert 'LEFT OUTER JOIN "workdays_day"' in queries[-1]["sql"]
    assert "SELECT U0" not in queries[-1]["sql"]  # no lookup per item


def test_no_items_gives_empty_groups_and_zero_totals(db):
    assert clearing_figures(SupervisedItem.objects.all(), start=START, end=END, by=("zone",)) == []
    [total] = clearing_figures(SupervisedItem.objects.all(), start=START, end=END)
    assert counts(total) == ((), 0, 0, 0, 0, 0, None)
