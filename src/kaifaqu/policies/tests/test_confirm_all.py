"""Confirming a document's proposals at once: the same rows, numbers and change log as one at a
time, in a number of queries that does not grow with the tasks, and nothing written on refusal."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kaifaqu.audit.models import DomainEvent, ObjectChange
from kaifaqu.policies import actions
from kaifaqu.policies.choices import ProposalState
from kaifaqu.policies.models import PolicyTask, ProgressReport, ProposedTask, TaskTarget
from kaifaqu.supervision.models import LogEntry, SupervisedItem
from kaifaqu.units.models import Unit

pytestmark = pytest.mark.django_db

TODAY = date(2025, 4, 1)


def queries_to_confirm(proposals, user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        tasks = actions.confirm_all(proposals, acting_user=user, today=TODAY)
    return len(queries), len(tasks)


def test_the_queries_do_not_grow_with_the_tasks(world):
    proposals, east = world["proposals"], world["users"]["east"]
    city = world["units"]["commerce"].region
    bureaus = ["东城市财政局", "东城市工信局", "东城市自然资源局"]
    for name in bureaus:
        Unit.objects.create(name=name, kind="bureau", region=city, aliases=[name])
    small, large = proposals["一/(一)"], proposals["一/(三)"]
    # the same shape (a deadline, a target, no supporting unit), one lead against five
    actions.correct_units(small, lead=["市商务局"], support=[], acting_user=east)
    actions.correct_units(
        large, lead=["市商务局", "市发改委", *bureaus], support=[], acting_user=east
    )
    actions.correct_targets(large, targets=small.targets, acting_user=east)

    one = queries_to_confirm([small], east)
    five = queries_to_confirm([large], east)

    assert (one[1], five[1]) == (1, 5)
    assert five[0] <= one[0]


def test_a_set_confirms_as_one_at_a_time_would(world):
    proposals, east = world["proposals"], world["users"]["east"]
    actions.correct_units(
        proposals["一/(二)"], lead=["东城经济技术开发区管委会"], support=[], acting_user=east
    )
    logged = ObjectChange.objects.count()

    tasks = actions.confirm_all(
        [proposals["一/(一)"], proposals["一/(二)"], proposals["一/(三)"]],
        acting_user=east,
        today=TODAY,
    )

    assert [t.item.number for t in tasks] == [f"RW-2025-000{n}" for n in (1, 2, 3, 4)]
    assert [t.proposal.path for t in tasks] == ["一/(一)", "一/(一)", "一/(二)", "一/(三)"]
    items = SupervisedItem.objects.order_by("pk")
    assert [(i.subject_type.model, i.subject_id) for i in items] == [
        ("policytask", t.pk) for t in tasks
    ]
    assert [list(i.supporting_units.all()) for i in items][3] == [world["units"]["commerce"]]
    assert TaskTarget.objects.count() == 2
    assert ProgressReport.objects.filter(task=tasks[2]).values_list("period", flat=True).get() == (
        "2025年第2季度"
    )
    changes = ObjectChange.objects.order_by("pk")[logged:]
    written = [(c.content_type.model, c.action) for c in changes]
    # each item created, dispatched and given its task; each object once per write
    assert written.count(("superviseditem", "create")) == 4
    assert written.count(("superviseditem", "update")) == 8
    assert written.count(("policytask", "create")) == 4
    assert written.count(("tasktarget", "create")) == 2
    assert written.count(("proposedtask", "update")) == 3
    assert written.count(("taskcorrection", "create")) == 3
    assert {c.username for c in changes} == {"east_sup"}
    dispatched = [c for c in changes if c.after.get("state") == "assigned" and c.before]
    assert [c.before["state"] for c in dispatched[:4]] == ["registered"] * 4
    assert LogEntry.objects.filter(kind="assigned").count() == 4
    assert DomainEvent.objects.filter(kind="supervision_assigned").count() == 4


def test_one_refused_proposal_confirms_none(world):
    proposals, east = world["proposals"], world["users"]["east"]
    actions.correct_units(proposals["一/(三)"], lead=["各街道"], support=[], acting_user=east)
    logged = ObjectChange.objects.count()

    with pytest.raises(actions.Refused, match="各街道"):
        actions.confirm_all([proposals["一/(一)"], proposals["一/(三)"]], acting_user=east)

    assert SupervisedItem.objects.count() == PolicyTask.objects.count() == 0
    assert ObjectChange.objects.count() == logged
    assert set(ProposedTask.objects.values_list("state", flat=True)) == {ProposalState.PROPOSED}
