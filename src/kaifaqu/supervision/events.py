"""What supervision tells the rest of the platform: one place where its events go out.

Every transition and every escalation batch calls ``emit``: the event is recorded as a domain
event (the audit trail of business transitions) and, once the transaction commits, handed to each
function in ``LISTENERS``. The notifications inbox plugs in here, by appending its handler (from
its app's ``ready()``); supervision imports nothing of it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.events import record_domain_event


@dataclass(frozen=True)
class SupervisionEvent:
    kind: str  # a LogKind value: assigned, accepted, returned, done, urged, escalated, ...
    item_ids: tuple[int, ...]
    unit_ids: tuple[int, ...]  # the units concerned (to warn, or whose work it is)
    summary: str
    detail: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[SupervisionEvent], None]
# The notifications app appends its handler here; nothing else is registered by default.
LISTENERS: list[Listener] = []


def emit(event: SupervisionEvent, *, acting_user: ActingUser, province_code: str = "") -> None:
    record_domain_event(
        f"supervision_{event.kind}",
        summary=event.summary,
        acting_user=acting_user,
        payload={"items": list(event.item_ids), "units": list(event.unit_ids), **event.detail},
        province_code=province_code,
    )
    transaction.on_commit(lambda: _deliver(event))


def _deliver(event: SupervisionEvent) -> None:
    for listener in LISTENERS:
        listener(event)
