"""What the inbox hears from supervision: each transition or escalation batch that names units
puts a notification in the inbox of their members, and a unit's 退回 or 办结 (its reply) goes to
the supervisor who dispatched the item (registered in ``apps.ready``)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.supervision.choices import LogKind
from kaifaqu.supervision.events import SupervisionEvent
from kaifaqu.supervision.models import SupervisedItem

# Which events reach the units' members, and as what.
KINDS: dict[str, NotificationKind] = {
    "assigned": NotificationKind.ASSIGNMENT,
    "reopened": NotificationKind.ASSIGNMENT,
    "escalated": NotificationKind.ESCALATION,
    "urged": NotificationKind.STATE_CHANGE,
    "extension_approved": NotificationKind.STATE_CHANGE,
    "extension_refused": NotificationKind.STATE_CHANGE,
    "returned": NotificationKind.STATE_CHANGE,
    "done": NotificationKind.REPLY,
}
# Events the dispatcher of the item (the author of its last 派单) hears of.
TO_DISPATCHER = frozenset({"returned", "done"})


def on_supervision_event(event: SupervisionEvent) -> None:
    """Tell the members of the event's units: about the item (one item) or, for an escalation
    batch, once with the batch's summary and a link to the 督办 board."""
    kind = KINDS.get(event.kind)
    if kind is None:
        return
    users = get_user_model().objects
    recipients = set(
        users.filter(unit_memberships__unit__in=event.unit_ids).values_list("pk", flat=True)
    )
    single = len(event.item_ids) == 1
    item = SupervisedItem.objects.filter(pk=event.item_ids[0]).first() if single else None
    if item is not None and event.kind in TO_DISPATCHER:
        dispatched = item.log.filter(kind=LogKind.ASSIGNED).order_by("-time", "-pk")
        recipients |= {pk for pk in dispatched.values_list("user_id", flat=True)[:1] if pk}
    if not recipients:
        return
    url = None if item is not None else reverse("supervision:board")
    notify(recipients, kind, item, event.summary, url=url)
