"""Rate limits: per user once authenticated, per client address before.

The rates are read from the settings on every request (DRF's throttles read them once, at import),
so an override in tests or a settings reload takes effect at once. Counters live in Django's
default cache: give production a shared cache so that every worker counts together.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _RateFromSettings:
    scope: str

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)


class AnonRateThrottle(_RateFromSettings, throttling.AnonRateThrottle):
    scope = "anon"


class UserRateThrottle(_RateFromSettings, throttling.UserRateThrottle):
    scope = "user"
