"""What supervision tells the rest of the platform: one place where its events go out.

Every transition and every escalation batch calls ``emit``: the event is recorded as a domain
event (the audit trail of business transitions) and, once the transaction commits, handed to each
function in ``LISTENERS``. The notifications inbox plugs in here, by appending its handler (from
its app's ``ready()``); supervision imports nothing of it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.events import record_domain_event, record_domain_events


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


def _payload(event: SupervisionEvent) -> dict[str, Any]:
    return {"items": list(event.item_ids), "units": list(event.unit_ids), **event.detail}


def emit(event: SupervisionEvent, *, acting_user: ActingUser, province_code: str = "") -> None:
    record_domain_event(
        f"supervision_{event.kind}",
        summary=event.summary,
        acting_user=acting_user,
        payload=_payload(event),
        province_code=province_code,
    )
    transaction.on_commit(lambda: _deliver(event))


def emit_all(events: Sequence[tuple[SupervisionEvent, str]], *, acting_user: ActingUser) -> None:
    """``emit`` of many events (each with its province code): recorded in one INSERT, each
    handed to the listeners once the transaction commits, as ``emit`` would."""
    record_domain_events(
        [
            (
                f"supervision_{event.kind}",
                event.summary,
                _payload(event),
                province_code,
            )
            for event, province_code in events
        ],
        acting_user=acting_user,
    )
    for event, _ in events:
        transaction.on_commit(partial(_deliver, event))


def _deliver(event: SupervisionEvent) -> None:
    for listener in LISTENERS:
        listener(event)
