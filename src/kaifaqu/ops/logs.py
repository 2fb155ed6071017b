"""One line of JSON per request and per job, on stdout for journald.

Each line carries the request id the change log stores, so an auditor goes from a log line to the
changes it made (``/audit/`` filtered by request id) and back. Jobs log their line themselves
(``jobs.actions``, logger ``kaifaqu.jobs.runs``); this module formats both and logs requests.
"""

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from kaifaqu.core.policy import access_policy

request_log = logging.getLogger("kaifaqu.requests")


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, then its ``event`` fields (or message)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        event = getattr(record, "event", None)
        if isinstance(event, dict):
            line.update(event)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestLogMiddleware:
    """Logs every request once it is answered: who (user id, role), which request id, what path,
    the status and how long it took. The outermost middleware, so the time is the whole request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.monotonic()
        response = self.get_response(request)
        user_id, role = _who(request)
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "event": {
                    "kind": "request",
                    "user_id": user_id,
                    "role": role,
                    # set by audit's WriteContextMiddleware; absent on answers given before it
                    # (static files, the HTTPS redirect)
                    "request_id": response.get("X-Request-ID"),
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - began) * 1000, 1),
                }
            },
        )
        return response


def _who(request: HttpRequest) -> tuple[int | None, str]:
    """The signed-in user's id and role codes; nobody when the database cannot say (a health
    probe while it is down must still be logged)."""
    user = getattr(request, "user", None)
    try:
        if user is None or not user.is_authenticated:
            return None, ""
        return user.pk, access_policy().role_label(user)
    except DatabaseError:
        return None, ""
