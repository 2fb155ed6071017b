"""When a schedule fires: wall-clock times in China, whatever the server's own time zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kaifaqu.jobs.choices import Cadence

SCHEDULE_ZONE = ZoneInfo("Asia/Shanghai")


def next_occurrence(cadence: str, hour: int, minute: int, after: datetime) -> datetime:
    """The first time strictly after ``after`` when a schedule fires (daily at ``hour:minute``,
    or hourly at ``:minute``), in Asia/Shanghai.

    >>> next_occurrence("daily", 2, 0, datetime(2026, 12, 3, 2, 0, tzinfo=SCHEDULE_ZONE))
    datetime.datetime(2026, 12, 4, 2, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
    """
    local = after.astimezone(SCHEDULE_ZONE)
    if cadence == Cadence.HOURLY:
        fires, period = local.replace(minute=minute, second=0, microsecond=0), timedelta(hours=1)
    else:
        fires = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        period = timedelta(days=1)
    return fires if fires > local else fires + period
