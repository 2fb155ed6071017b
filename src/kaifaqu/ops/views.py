"""``/healthz`` and ``/readyz``: unauthenticated, saying only which checks pass.

A load balancer or systemd asks them over plain HTTP on the server itself, so they are exempt from
the login and from the HTTPS redirect (settings ``SECURE_REDIRECT_EXEMPT``).
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kaifaqu.ops.health import run_checks


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answers; nothing is asked of the database."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when every check passes, 503 otherwise; each check named ok or failed, nothing else."""
    outcomes = run_checks()
    ready = all(outcome.ok for outcome in outcomes.values())
    return JsonResponse(
        {
            "status": "ready" if ready else "unready",
            "checks": {name: "ok" if o.ok else "failed" for name, o in outcomes.items()},
        },
        status=200 if ready else 503,
    )
