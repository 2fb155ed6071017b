"""Unit names as a document writes them, matched to the unit registry.

In order: the exact name; an alias, or the name with its level word ("市", "省", "区", "县")
replaced by the document's division name ("市商务局" in 东城市's document is 东城市商务局); else
the closest name or alias (``difflib``), with its similarity shown as the confidence. Units of the
document's own division are tried before those above and below it. A collective name ("各经开区及
相关区", "各县区") stands for every active unit of its kind in the document's division and below,
expanded when the task is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from kaifaqu.access.scope import region_condition
from kaifaqu.catalog.models import Region
from kaifaqu.policies.choices import MatchMethod
from kaifaqu.units.choices import UnitKind
from kaifaqu.units.models import Unit

LEVEL_WORDS = ("省", "市", "县", "区")
# The words of a collective name ("各……") and the kind of unit they stand for, first match wins.
COLLECTIVE_KINDS = (
    (("开发区", "经开区", "高新区", "园区", "管委会"), UnitKind.ZONE_COMMITTEE),
    (("街道",), UnitKind.SUBDISTRICT),
    (("乡镇", "镇"), UnitKind.TOWNSHIP),
    (("政府", "县", "区", "市"), UnitKind.GOVERNMENT),
)


@dataclass(frozen=True)
class Match:
    name: str
    units: tuple[Unit, ...]
    method: MatchMethod
    confidence: float  # 1.0 for an exact, alias or collective match

    @property
    def percent(self) -> int:
        return round(100 * self.confidence)


def candidates(region: Region) -> list[Unit]:
    """Active units of ``region``, the divisions above it and those below it, own ones first."""
    above = region.ancestor_codes()
    units = Unit.objects.filter(active=True).filter(
        region__code__in=[*above, region.code]
    ) | Unit.objects.filter(
        region_condition(region, province_field="province_code", code_field="region__code"),
        active=True,
    )
    return sorted(
        units.select_related("region").distinct(),
        key=lambda u: (u.region_id != region.pk, u.region.code, u.name),
    )


def collective_kind(name: str) -> str | None:
    if not name.startswith("各"):
        return None
    for words, kind in COLLECTIVE_KINDS:
        if any(word in name for word in words):
            return str(kind)
    return None


def match_unit(name: str, region: Region, units: list[Unit] | None = None) -> Match:
    """The registry's unit(s) for ``name`` written in a document of ``region``."""
    units = candidates(region) if units is None else units
    kind = collective_kind(name)
    if kind is not None:
        members = tuple(u for u in units if u.kind == kind and _within(u, region))
        method = MatchMethod.COLLECTIVE if members else MatchMethod.NONE
        return Match(name, members, method, 1.0 if members else 0.0)
    for unit in units:
        if unit.name == name:
            return Match(name, (unit,), MatchMethod.EXACT, 1.0)
    spelled = {name, *(_with_division(name, region))}
    for unit in units:
        if spelled & {unit.name, *unit.aliases}:
            return Match(name, (unit,), MatchMethod.ALIAS, 1.0)
    best, score = None, 0.0
    for unit in units:
        for written in (unit.name, *unit.aliases):
            ratio = SequenceMatcher(None, name, written).ratio()
            if ratio > score:
                best, score = unit, ratio
    if best is None:
        return Match(name, (), MatchMethod.NONE, 0.0)
    return Match(name, (best,), MatchMethod.CLOSEST, round(score, 2))


def _with_division(name: str, region: Region) -> list[str]:
    """``name`` with its leading level word replaced by the division's name and its parents'."""
    if not name.startswith(LEVEL_WORDS):
        return []
    names = [region.name, *region.ancestor_names]
    return [division + name[1:] for division in names if division.endswith(name[0])]


def _within(unit: Unit, region: Region) -> bool:
    return unit.region.code.startswith(region.code_prefix)
