"""What the inbox hears from supervision: each transition or escalation batch that names units
puts a notification in the inbox of their members (registered in ``apps.ready``)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from kaifaqu.notifications.actions import notify
from kaifaqu.notifications.choices import NotificationKind
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
}


def on_supervision_event(event: SupervisionEvent) -> None:
    """Tell the members of the event's units: about the item (one item) or, for an escalation
    batch, once with the batch's summary and a link to the 督办 board."""
    kind = KINDS.get(event.kind)
    if kind is None or not event.unit_ids:
        return
    members = get_user_model().objects.filter(unit_memberships__unit__in=event.unit_ids)
    single = len(event.item_ids) == 1
    item = SupervisedItem.objects.filter(pk=event.item_ids[0]).first() if single else None
    url = None if item is not None else reverse("supervision:board")
    notify(members, kind, item, event.summary, url=url)
