"""API tokens for the API tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from kaifaqu.access.models import ApiToken
from kaifaqu.access.tokens import digest

SYSTEM_KEY = "kfq_0123456789abcdef0123456789abcdef01234567"


def make_token(user: Any, key: str, **fields: Any) -> Any:
    """A token in use for ``user`` whose key is ``key`` (issue_token makes real ones).

    Its last use is now, so a test's requests do not record it again (``LAST_USED_STEP``).
    """
    now = timezone.now()
    defaults = {"expires": now + timedelta(days=90), "last_used": now}
    return ApiToken.objects.create(
        user=user, name="测试系统", key_hash=digest(key), **{**defaults, **fields}
    )
