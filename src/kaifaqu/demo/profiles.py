"""Industry profiles of the synthetic province: how each GB/T 4754 大类 tends to look.

The numbers are rough orders of magnitude for Chinese manufacturing, chosen so that heavy
industries (25 石油煤炭, 26 化学, 30 非金属, 31 黑色, 32 有色, 44 电力热力) use far more energy and
emit far more than light ones. ``yearly`` scales them so that the province's 规上 pooled ratios
land near the 台州黄岩 2022 benchmarks before its final small nudge (``yearly.calibrate``).
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IndustryProfile:
    code: str
    weight: float  # relative share of the province's enterprises
    size: float  # offset of log revenue: bigger plants in heavy and capital-intensive industries
    value_added: float  # 工业增加值 / 工业总产值
    tax: float  # 实缴税收 / 营业收入
    energy: float  # 综合能耗 tce per 万元 of output
    electricity: float  # share of the energy that is electricity
    emission: float  # pollutant tonnes per 万元 of value added, relative to the province's typical
    emission_kind: str  # W water (COD, 氨氮) / A air (SO₂, NOx) / L light (a little of each)
    rd: float  # R&D 经费 / 主营业务收入 of an enterprise that does research
    productivity: float  # 劳动生产率 relative to the province's typical
    high_tech: float  # propensity to hold 高新技术企业 status, relative


def _p(code: str, *values: float | str) -> IndustryProfile:
    return IndustryProfile(code, *values)  # type: ignore[arg-type]


PROFILES: tuple[IndustryProfile, ...] = (
    _p("13", 3.0, 0.1, 0.20, 0.030, 0.06, 0.5, 1.5, "W", 0.010, 1.1, 0.3),
    _p("14", 2.0, 0.0, 0.28, 0.050, 0.06, 0.5, 1.2, "W", 0.015, 1.0, 0.5),
    _p("15", 1.0, 0.1, 0.35, 0.100, 0.06, 0.4, 1.5, "W", 0.012, 1.3, 0.4),
    _p("16", 0.05, 1.5, 0.70, 0.400, 0.01, 0.8, 0.2, "L", 0.010, 4.0, 0.2),
    _p("17", 4.0, -0.1, 0.20, 0.030, 0.10, 0.6, 2.0, "W", 0.018, 0.7, 0.4),
    _p("18", 3.0, -0.3, 0.25, 0.030, 0.02, 0.8, 0.3, "L", 0.012, 0.5, 0.2),
    _p("19", 1.5, -0.3, 0.24, 0.030, 0.02, 0.8, 0.8, "W", 0.012, 0.5, 0.2),
    _p("20", 1.0, -0.2, 0.23, 0.030, 0.06, 0.6, 0.5, "L", 0.010, 0.7, 0.2),
    _p("21", 1.5, -0.2, 0.24, 0.030, 0.02, 0.8, 0.4, "L", 0.015, 0.6, 0.3),
    _p("22", 1.2, 0.1, 0.22, 0.030, 0.25, 0.4, 3.0, "W", 0.015, 1.0, 0.4),
    _p("23", 1.0, -0.3, 0.26, 0.040, 0.02, 0.8, 0.3, "L", 0.020, 0.7, 0.4),
    _p("24", 1.5, -0.3, 0.24, 0.030, 0.02, 0.8, 0.3, "L", 0.018, 0.6, 0.4),
    _p("25", 0.5, 1.0, 0.18, 0.100, 1.20, 0.1, 6.0, "A", 0.008, 2.5, 0.3),
    _p("26", 5.0, 0.4, 0.24, 0.045, 0.45, 0.3, 4.0, "W", 0.025, 1.6, 1.0),
    _p("27", 2.5, 0.3, 0.38, 0.060, 0.06, 0.5, 1.5, "W", 0.055, 1.5, 2.0),
    _p("28", 0.6, 0.6, 0.18, 0.030, 0.30, 0.4, 2.5, "W", 0.020, 1.5, 0.6),
    _p("29", 5.0, -0.1, 0.23, 0.035, 0.06, 0.8, 0.5, "L", 0.025, 0.8, 0.7),
    _p("30", 5.0, 0.0, 0.26, 0.045, 0.70, 0.2, 5.0, "A", 0.015, 1.0, 0.4),
    _p("31", 0.8, 1.2, 0.17, 0.030, 0.90, 0.25, 6.0, "A", 0.015, 2.2, 0.3),
    _p("32", 1.2, 0.8, 0.15, 0.030, 0.40, 0.5, 4.0, "A", 0.018, 1.8, 0.5),
    _p("33", 7.0, -0.1, 0.24, 0.035, 0.05, 0.8, 0.8, "L", 0.022, 0.8, 0.6),
    _p("34", 8.0, 0.0, 0.26, 0.040, 0.03, 0.85, 0.3, "L", 0.035, 0.9, 1.2),
    _p("35", 7.0, 0.0, 0.27, 0.040, 0.03, 0.85, 0.3, "L", 0.042, 0.9, 1.5),
    _p("36", 4.0, 0.5, 0.22, 0.045, 0.03, 0.8, 0.4, "L", 0.035, 1.3, 1.2),
    _p("37", 1.5, 0.3, 0.24, 0.035, 0.03, 0.8, 0.4, "L", 0.040, 1.0, 1.5),
    _p("38", 8.0, 0.1, 0.24, 0.040, 0.02, 0.85, 0.3, "L", 0.038, 1.0, 1.6),
    _p("39", 6.0, 0.3, 0.22, 0.035, 0.025, 0.9, 0.3, "L", 0.050, 1.0, 2.2),
    _p("40", 2.5, -0.1, 0.30, 0.045, 0.015, 0.9, 0.2, "L", 0.060, 1.0, 2.2),
    _p("41", 1.5, -0.4, 0.24, 0.030, 0.03, 0.8, 0.4, "L", 0.015, 0.6, 0.3),
    _p("42", 1.0, 0.0, 0.18, 0.020, 0.08, 0.6, 1.5, "W", 0.010, 1.0, 0.3),
    _p("43", 0.8, -0.3, 0.30, 0.040, 0.02, 0.8, 0.3, "L", 0.015, 0.8, 0.3),
    # Utilities (D 门类): exempt from 亩均 evaluation, few but large and energy-hungry.
    _p("44", 1.2, 1.0, 0.35, 0.040, 1.50, 0.1, 6.0, "A", 0.005, 3.0, 0.2),
    _p("45", 0.6, 0.5, 0.20, 0.030, 0.05, 0.3, 0.2, "A", 0.005, 2.0, 0.1),
    _p("46", 0.7, -0.2, 0.45, 0.030, 0.30, 0.9, 1.0, "W", 0.005, 1.2, 0.1),
)

CODES: tuple[str, ...] = tuple(profile.code for profile in PROFILES)
MANUFACTURING: tuple[str, ...] = tuple(code for code in CODES if "13" <= code <= "43")
UTILITIES: frozenset[str] = frozenset({"44", "45", "46"})
# Where defence work plausibly hides: transport equipment, electronics, instruments, machinery.
MILITARY_PRONE: frozenset[str] = frozenset({"34", "35", "37", "38", "39", "40"})
HEAVY: frozenset[str] = frozenset({"25", "26", "30", "31", "32", "44"})

# Shares of COD, 氨氮, SO₂ and NOx in an enterprise's pollutant tonnes, by emission kind.
EMISSION_SPLIT: dict[str, tuple[float, float, float, float]] = {
    "W": (0.55, 0.08, 0.15, 0.22),
    "A": (0.05, 0.01, 0.45, 0.49),
    "L": (0.30, 0.04, 0.26, 0.40),
}


def column(name: str) -> np.ndarray:
    """One attribute of every profile as an array indexed like ``CODES``."""
    return np.array([getattr(profile, name) for profile in PROFILES])


def emission_split() -> np.ndarray:
    """(industries × 4) pollutant shares in the order COD, 氨氮, SO₂, NOx."""
    return np.array([EMISSION_SPLIT[profile.emission_kind] for profile in PROFILES])
