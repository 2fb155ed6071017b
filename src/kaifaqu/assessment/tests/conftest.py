"""Fixtures: the shared three-zone province with hand-picked indicator values per preset."""

from decimal import Decimal
from typing import Any

import pytest

from kaifaqu.assessment.models import AssessmentFramework, AssessmentRun
from kaifaqu.catalog.models import Indicator
from kaifaqu.jobs.actions import run_job
from kaifaqu.zones.models import Zone, ZoneYear

# Per zone (east, east_htz, west): benefit-direction values chosen so min-max gives 0/50/100.
LOW_MID_HIGH = {"east": 1, "east_htz": 2, "west": 3}
HIGH_LOW_MID = {"east": 3, "east_htz": 1, "west": 2}
MID_HIGH_LOW = {"east": 2, "east_htz": 3, "west": 1}

MOFCOM = {
    "openness": LOW_MID_HIGH,  # scores 0 / 50 / 100
    "quality": HIGH_LOW_MID,  # 100 / 0 / 50
    "innovation": MID_HIGH_LOW,  # 50 / 100 / 0
    "coordination": LOW_MID_HIGH,  # 0 / 50 / 100
}
# 绿色发展 wants 100 / 0 / 50: the cost indicators take low values for the best zone.
MOFCOM_GREEN = {
    "energy_per_industrial_va": {"east": 1, "east_htz": 3, "west": 2},
    "co2_per_industrial_va": {"east": 1, "east_htz": 3, "west": 2},
    "water_per_industrial_va": {"east": 1, "east_htz": 3, "west": 2},
    "solid_waste_utilisation": {"east": 3, "east_htz": 1, "west": 2},
}
PROVINCIAL = {
    "quality": LOW_MID_HIGH,  # 0 / 50 / 100
    "openness": {"east": 3, "east_htz": 2, "west": 1},  # 100 / 50 / 0
    "innovation": {"east": 1, "east_htz": 3, "west": 2},  # 0 / 100 / 50
    "institution": {"east": 3, "east_htz": 1, "west": 2},  # 100 / 0 / 50
}
PROVINCIAL_SINGLE = {
    "energy_per_gdp": {"east": 2, "east_htz": 1, "west": 3},  # cost: 50 / 100 / 0
    "va_per_industrial_land": {"east": 2, "east_htz": 3, "west": 1},  # 50 / 100 / 0
    "online_monitoring_rate": {"east": 100, "east_htz": 100, "west": 100},  # constant → 100
    "circular_retrofit_done": {"east": 0, "east_htz": 1, "west": 0},  # 0 / 100 / 0
    "safety_risk_assessment_rate": {"east": 100, "east_htz": 90, "west": 80},  # 100 / 50 / 0
    "major_accidents": {"east": 0, "east_htz": 0, "west": 0},  # constant → 100
}


def put(zone: Zone, year: int, values: dict[str, float]) -> None:
    indicators = dict(Indicator.objects.filter(code__in=values).values_list("code", "pk"))
    for code, value in values.items():
        ZoneYear.objects.update_or_create(
            zone=zone,
            year=year,
            indicator_id=indicators[code],
            defaults={"value": Decimal(str(value))},
        )


def preset(code: str) -> AssessmentFramework:
    return AssessmentFramework.objects.get(owner=None, code=code)


def seed_mofcom(zones: dict[str, Zone], year: int) -> None:
    from kaifaqu.assessment.framework import parse_document, preset_text

    doc = parse_document(preset_text("mofcom_2021"))
    for key, zone in zones.items():
        values: dict[str, float] = {}
        for dim, pattern in MOFCOM.items():
            for code in doc.framework.children(dim):
                values[code] = pattern[key]
        for code, pattern in MOFCOM_GREEN.items():
            values[code] = pattern[key]
        put(zone, year, values)


def seed_provincial(zones: dict[str, Zone], year: int) -> None:
    from kaifaqu.assessment.framework import parse_document, preset_text

    doc = parse_document(preset_text("provincial_six"))
    for key, zone in zones.items():
        values: dict[str, float] = {}
        for dim, pattern in PROVINCIAL.items():
            for code in doc.framework.children(dim):
                values[code] = pattern[key]
        for code, pattern in PROVINCIAL_SINGLE.items():
            values[code] = pattern[key]
        put(zone, year, values)


def finish(run: AssessmentRun) -> AssessmentRun:
    """Run the run's job here (on-commit hooks do not fire inside a test transaction)."""
    assert run.job is not None
    job = run_job(run.job)
    assert job.state == "succeeded", job.error
    run.refresh_from_db()
    return run


@pytest.fixture
def zones(province: dict[str, Any]) -> dict[str, Zone]:
    return province["zones"]


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Reports are written under a temporary media root, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
