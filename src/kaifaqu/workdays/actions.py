"""Writes of the calendar: the system administrator's changes, then the day table rebuilt."""

from django.db import transaction

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.events import record_domain_event
from kaifaqu.workdays.days import rebuild_days


def calendar_changed(*, acting_user: ActingUser, summary: str) -> int:
    """Rebuild the working-day table after a change to the calendar, recorded as one event."""
    with transaction.atomic():
        rows = rebuild_days()
        record_domain_event(
            "workdays_rebuilt", summary=summary, acting_user=acting_user, payload={"days": rows}
        )
    return rows
