"""What every writing management command shares: ``--as USERNAME`` (DESIGN.md, one command line)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError

SYSTEM_USERNAME = "system"


def add_as_argument(parser: Any) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="write as this user, scoped and audited as them (default: the system account)",
    )


def acting_user_from(options: dict[str, Any]) -> User:
    username = options.get("as_user") or SYSTEM_USERNAME
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist:
        raise CommandError(f"用户不存在或已停用:{username}", returncode=2) from None
