"""Reading a GeoJSON file of division outlines, every problem named by feature and property.

A feature names its division by the property ``code`` (or ``adcode``, as the widely used DataV
files do): a six-digit GB/T 2260 code already in the catalogue. Its geometry is a Polygon or
MultiPolygon in longitude/latitude. Every problem of every feature is reported, so a file is fixed
in one pass; one problem and nothing is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from kaifaqu.catalog.models import Region
from kaifaqu.zones.validators import polygons

CODE_PROPERTIES = ("code", "adcode")


class BoundaryFileError(ValueError):
    """The file cannot be loaded; ``problems`` lists every reason, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Outline:
    region: Region
    geometry: dict[str, Any]


def read_outlines(text: str) -> list[Outline]:
    """The outlines in a GeoJSON FeatureCollection, or BoundaryFileError naming every problem."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BoundaryFileError(
            [f"文件不是有效的 JSON:第{error.lineno}行第{error.colno}列,{error.msg}"]
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryFileError(
            [
                "文件顶层须为 GeoJSON FeatureCollection"
                '({"type": "FeatureCollection", "features": [...]})'
            ]
        )
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileError(["FeatureCollection 的 features 为空:文件中没有任何边界"])
    codes = [_code(feature) for feature in features]
    regions = Region.objects.in_bulk([c for c in codes if c], field_name="code")
    problems: list[str] = []
    outlines: list[Outline] = []
    first_of: dict[str, int] = {}
    for number, (feature, code) in enumerate(zip(features, codes, strict=True), start=1):
        found = _feature(number, feature, code, regions, first_of, problems)
        if found is not None:
            outlines.append(found)
    if problems:
        raise BoundaryFileError(problems)
    return outlines


def _code(feature: Any) -> str | None:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        return None
    for name in CODE_PROPERTIES:
        if properties.get(name) not in (None, ""):
            return str(properties[name])
    return None


def _label(number: int, feature: Any) -> str:
    """How a problem names the feature: its position, and its name when it has one."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    name = properties.get("name") if isinstance(properties, dict) else None
    return f"第{number}个要素" + (f"({name})" if name else "")


def _feature(
    number: int,
    feature: Any,
    code: str | None,
    regions: dict[str, Region],
    first_of: dict[str, int],
    problems: list[str],
) -> Outline | None:
    where = _label(number, feature)
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        problems.append(f'{where}不是 GeoJSON Feature({{"type": "Feature", ...}})')
        return None
    region = None
    if code is None:
        problems.append(f"{where}缺少属性 code:须为6位行政区划代码(也可用 adcode)")
    elif code not in regions:
        problems.append(
            f"{where}的属性 code 为 {code}:不是平台已有的行政区划代码,"
            "请先在行政区划中添加或改正代码"
        )
    elif code in first_of:
        problems.append(f"{where}的属性 code 为 {code}:与第{first_of[code]}个要素重复")
    else:
        first_of[code] = number
        region = regions[code]
    geometry = feature.get("geometry")
    try:
        polygons(geometry)
    except ValidationError as error:
        problems.append(f"{where}的 geometry 有误:{error.messages[0]}")
        return None
    return None if region is None or geometry is None else Outline(region, geometry)
