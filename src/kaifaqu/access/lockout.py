"""Lockout that does not punish colleagues behind one address (等保: 登录失败处理).

An account is locked after ``AXES_FAILURE_LIMIT`` failures from any address; an address is throttled
only after ``KAIFAQU_ADDRESS_LOCKOUT_FAILURES`` failures across all accounts, because a government
network puts a whole bureau behind one NAT or proxy, and one clerk's mistyped password must not lock
out every colleague.
"""

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AccountFirstHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped
    """django-axes' database handler with a limit per lockout parameter.

    Axes compares one failure count with one limit. ``AXES_LOCKOUT_PARAMETERS`` is ``["username",
    "ip_address"]``, so the attempts come as two querysets in that order; the address's count is
    expressed in the account's units (failures × account limit ÷ address limit, rounded down),
    so it reaches the account limit exactly when it reaches its own.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit: int = settings.AXES_FAILURE_LIMIT
        address_limit: int = settings.KAIFAQU_ADDRESS_LOCKOUT_FAILURES
        return max(by_account, by_address * account_limit // address_limit)
