"""A zone's boundary (四至范围): a GeoJSON Polygon or MultiPolygon in WGS 84 longitude/latitude.

>>> square = [[[118.0, 32.0], [118.1, 32.0], [118.1, 32.1], [118.0, 32.0]]]
>>> len(polygons({"type": "Polygon", "coordinates": square}))
1
"""

from typing import Any

from django.core.exceptions import ValidationError

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # the outer ring, then its holes


def polygons(value: Any) -> list[Polygon]:
    """The polygons of a boundary geometry, or ValidationError saying what is wrong with it."""
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(
            "四至范围须为 GeoJSON 的 Polygon 或 MultiPolygon 几何对象"
            '(如 {"type": "Polygon", "coordinates": [[[经度, 纬度], …]]})'
        )
    coordinates = value.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError("四至范围缺少坐标(coordinates)")
    if value["type"] == "Polygon":
        coordinates = [coordinates]
    return [_polygon(p, i + 1) for i, p in enumerate(coordinates)]


def _polygon(rings: Any, number: int) -> Polygon:
    if not isinstance(rings, list) or not rings:
        raise ValidationError(f"四至范围第{number}个多边形没有边界环")
    return [_ring(ring, number) for ring in rings]


def _ring(ring: Any, number: int) -> Ring:
    where = f"四至范围第{number}个多边形"
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(f"{where}的边界环须至少有4个坐标点(首尾相同)")
    points = [_position(p, where) for p in ring]
    if points[0] != points[-1]:
        raise ValidationError(f"{where}的边界环未闭合:首尾坐标须相同")
    return points


def _position(point: Any, where: str) -> tuple[float, float]:
    numeric = isinstance(point, list) and len(point) in (2, 3)
    numeric = numeric and all(isinstance(c, int | float) and not isinstance(c, bool) for c in point)
    if not numeric:
        raise ValidationError(f"{where}有无效坐标 {point!r}:须为 [经度, 纬度]")
    lng, lat = float(point[0]), float(point[1])
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise ValidationError(f"{where}的坐标 [{lng:g}, {lat:g}] 超出经度±180°、纬度±90°")
    return lng, lat


def validate_boundary(value: Any) -> None:
    polygons(value)
