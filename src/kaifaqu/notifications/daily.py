"""Notices that other apps send once a day through the digest job (``jobs.send_digest``),
before its e-mails, so a reminder falling due today is in the day's summary: a function of the
day that tells its users with ``notify`` and returns how many things it told of. An app
registers its own in its ``AppConfig.ready``, since this app may not import a domain app."""

from collections.abc import Callable
from datetime import date

DailyNotice = Callable[[date], int]
DAILY_NOTICES: dict[str, DailyNotice] = {}


def register_daily_notice(name: str, notice: DailyNotice) -> None:
    """Have ``notice`` run by each day's digest; its count is the job's result ``name``."""
    DAILY_NOTICES[name] = notice


def send_daily_notices(today: date) -> dict[str, int]:
    """Run every registered notice for ``today``: how many things each told of, by name."""
    return {name: notice(today) for name, notice in sorted(DAILY_NOTICES.items())}
