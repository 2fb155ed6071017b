"""Writes of the inbox: telling users (``notify``) and marking what they have read.

Other apps call ``notify`` from their own actions, inside their transaction, with the users who
must hear of the change; choosing them (a unit's members, a supervisor) is the caller's business,
and so is making sure they may see the object.
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.choices import ChangeAction
from kaifaqu.audit.log import log_bulk, log_change, snapshot
from kaifaqu.notifications.choices import NotificationKind
from kaifaqu.notifications.models import Notification

Recipients = Iterable[Any] | models.QuerySet[Any] | models.Manager[Any]


def recipient_ids(recipients: Recipients) -> list[int]:
    """The active users among ``recipients`` (users, user ids, or a queryset or related manager
    of users such as a unit's members), once each."""
    if isinstance(recipients, models.QuerySet | models.Manager):
        ids: Iterable[Any] = recipients.values_list("pk", flat=True)
    else:
        ids = (getattr(recipient, "pk", recipient) for recipient in recipients)
    wanted = set(ids)
    active = get_user_model().objects.filter(pk__in=wanted, is_active=True)
    return sorted(active.values_list("pk", flat=True))


def object_url(obj: models.Model | None) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    return str(getter()) if getter is not None else ""


def notify(
    recipients: Recipients,
    kind: NotificationKind | str,
    obj: models.Model | None,
    title: str,
    body: str = "",
    *,
    url: str | None = None,
    acting_user: ActingUser | None = None,
) -> list[Notification]:
    """Put one notification about ``obj`` in the inbox of each active user of ``recipients``,
    in one insert, and log the batch once with its count.

    The link is ``url`` if given, else ``obj.get_absolute_url()``. ``acting_user`` is who caused
    it (None: the system, e.g. a periodic job).
    """
    kind = NotificationKind(kind)
    ids = recipient_ids(recipients)
    if not ids:
        return []
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    fields = {
        "kind": kind,
        "title": title[:200],
        "body": body,
        "url": url if url is not None else object_url(obj),
        "content_type": content_type,
        "object_id": str(obj.pk) if obj is not None else "",
    }
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [Notification(recipient_id=pk, **fields) for pk in ids]
        )
        log_bulk(
            Notification,
            label=f"通知({kind.label}):{title}",
            counts={"notifications": len(created)},
            acting_user=acting_user,
        )
    return created


def mark_read(notification_id: int, *, acting_user: ActingUser) -> Notification:
    """Mark one of the user's own notifications read (a read one stays as it was)."""
    with transaction.atomic():
        inbox = Notification.objects.restrict(acting_user, "change").select_for_update()
        notification = get_object_or_404(inbox, pk=notification_id)
        if notification.read_at is None:
            before = snapshot(notification)
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
            log_change(
                notification,
                action=ChangeAction.UPDATE,
                before=before,
                after=snapshot(notification),
                acting_user=acting_user,
            )
    return notification


def mark_all_read(*, acting_user: ActingUser, kind: str = "") -> int:
    """Mark every unread notification of the user's (of one ``kind`` if given) read; returns
    how many, logged as one entry."""
    with transaction.atomic():
        unread = Notification.objects.restrict(acting_user, "change").unread()
        if kind:
            unread = unread.filter(kind=kind)
        count = unread.update(read_at=timezone.now())
        if count:
            log_bulk(
                Notification,
                label="全部标为已读",
                counts={"read": count},
                acting_user=acting_user,
            )
    return count
