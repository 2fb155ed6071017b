"""Writes of the unit registry (the system administrator's): an import writes every row or none."""

from collections.abc import Iterable

from django.db import transaction

from kaifaqu.access.users import ActingUser
from kaifaqu.audit.writes import audited_save
from kaifaqu.units.imports import UnitRow
from kaifaqu.units.models import Unit


def import_units(rows: list[UnitRow], *, acting_user: ActingUser) -> dict[str, int]:
    """Create or update each row's unit (by region and name), each write logged, in one
    transaction; the rows were checked (``imports.read_units_file``). Returns the counts."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for row in rows:
            unit = Unit.objects.filter(region=row.region, name=row.name).first()
            parent = _parent(row.parent) if row.parent else None
            values = {"kind": row.kind, "zone": row.zone, "aliases": row.aliases, "parent": parent}
            if unit is not None and all(getattr(unit, k) == v for k, v in values.items()):
                counts["unchanged"] += 1
                continue
            counts["updated" if unit is not None else "created"] += 1
            unit = unit or Unit(region=row.region, name=row.name)
            for key, value in values.items():
                setattr(unit, key, value)
            audited_save(unit, acting_user=acting_user)
    return counts


def _parent(written: str) -> Unit:
    """The unit a 上级单位 cell names: by name first, else by alias (checked to exist)."""
    by_name: Unit | None = Unit.objects.filter(name=written).order_by("pk").first()
    if by_name is not None:
        return by_name
    units: Iterable[Unit] = Unit.objects.order_by("pk")
    return next(u for u in units if written in (u.aliases or []))
