"""Who is writing, from where, under which request id: set once per request, import, job or command.

Every change-log row reads it, so one request (or one import, one job) shares one request id and
"everything this import changed" is one query.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class WriteContext:
    request_id: uuid.UUID
    ip: str | None = None
    channel: str = "web"  # web, admin, cli, job


_current: ContextVar[WriteContext | None] = ContextVar("kaifaqu_write_context", default=None)


def current_context() -> WriteContext:
    """The active context; a write outside any (a shell session) gets a fresh request id."""
    return _current.get() or WriteContext(request_id=uuid.uuid4(), channel="shell")


@contextmanager
def write_context(
    *, request_id: uuid.UUID | None = None, ip: str | None = None, channel: str
) -> Iterator[WriteContext]:
    context = WriteContext(request_id=request_id or uuid.uuid4(), ip=ip, channel=channel)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
