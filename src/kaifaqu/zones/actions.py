"""Writes of the zones app."""

from kaifaqu.access.permissions import ensure_can
from kaifaqu.access.users import ActingUser
from kaifaqu.jobs.actions import enqueue_job
from kaifaqu.jobs.models import Job


def request_summary_refresh(*, acting_user: ActingUser) -> Job:
    """Queue the refresh of the zone-year summaries in the user's scope (idempotent)."""
    ensure_can(acting_user, "zones.refresh_summaries")
    return enqueue_job("zone_summaries", {}, acting_user=acting_user)
