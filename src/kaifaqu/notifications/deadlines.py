"""The 即将到期 notice: each running supervised item whose deadline is the next working day is
told to the members of its lead unit, once, by the daily digest job (``jobs.send_digest``)."""

from collections import defaultdict
from datetime import date

from django.utils import timezone

from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.supervision.choices import RUNNING_STATES
from kaifaqu.supervision.models import SupervisedItem
from kaifaqu.units.models import Membership
from kaifaqu.workdays.days import add_working_days


def notify_approaching_deadlines(*, today: date | None = None) -> int:
    """Tell the lead units' members of the items due on the next working day after ``today``;
    returns how many items were told of."""
    today = today or timezone.localdate()
    due = add_working_days(today, 1)
    items = list(
        SupervisedItem.objects.filter(
            state__in=RUNNING_STATES, deadline=due, lead_unit__isnull=False
        ).order_by("pk")
    )
    members: dict[int, list[int]] = defaultdict(list)
    memberships = Membership.objects.filter(unit__in={item.lead_unit_id for item in items})
    for unit, user in memberships.values_list("unit_id", "user_id"):
        members[unit].append(user)
    for item in items:
        notify(
            members[item.lead_unit_id],
            NotificationKind.DEADLINE,
            item,
            f"{item.number} 将于 {due:%Y-%m-%d} 到期(还剩 1 个工作日):{item.title}",
        )
    return len(items)
