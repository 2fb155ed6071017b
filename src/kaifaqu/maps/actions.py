"""Writing division outlines: only an administrator who may change them, all or nothing, logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.writes import audited_save
from kaifaqu.maps.geojson import Outline
from kaifaqu.maps.models import Boundary


def load_boundaries(
    outlines: list[Outline], *, source: str, acting_user: ActingUser
) -> dict[str, int]:
    """Create or replace the outlines of the named divisions in one transaction.

    Returns how many were added and how many replaced.
    """
    if not (
        acting_user.has_perm("maps.add_boundary") and acting_user.has_perm("maps.change_boundary")
    ):
        raise PermissionDenied("您无权加载行政区划边界(须为系统管理员)")
    counts = {"added": 0, "replaced": 0}
    with transaction.atomic():
        existing = {
            b.region_id: b for b in Boundary.objects.filter(region__in=[o.region for o in outlines])
        }
        for outline in outlines:
            boundary = existing.get(outline.region.pk) or Boundary(region=outline.region)
            counts["replaced" if boundary.pk else "added"] += 1
            boundary.geometry = outline.geometry
            boundary.source = source[:200]
            audited_save(boundary, acting_user=acting_user)
    return counts
