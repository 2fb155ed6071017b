"""Small SVG charts for the printed report (WeasyPrint draws SVG; no JavaScript in a PDF).

>>> "<polygon" in radar(["甲", "乙", "丙"], [50.0, 60.0, 70.0], [40.0, 40.0, 40.0])
True
"""

from __future__ import annotations

import math
from html import escape

BLUE, AMBER, GREY = "#0b4aa2", "#e08a1e", "#c9ced6"
FONT = "font-family='Noto Sans CJK SC, sans-serif' font-size='11'"


def radar(labels: list[str], own: list[float | None], group: list[float | None]) -> str:
    """A radar of scores 0–100: the zone (blue) against its group's mean (amber)."""
    size, centre, radius = 270, 135, 92
    count = len(labels)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / count
        r = radius * max(0.0, min(value, 100.0)) / 100
        return centre + r * math.cos(angle), centre + r * math.sin(angle)

    def polygon(values: list[float | None], colour: str) -> str:
        points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(values))
        )
        return f"<polygon points='{points}' fill='{colour}' fill-opacity='0.18' stroke='{colour}'/>"

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{size}' height='{size}'>"]
    for ring in (25, 50, 75, 100):
        ring_points = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(f"<polygon points='{ring_points}' fill='none' stroke='{GREY}'/>")
    for i, label in enumerate(labels):
        x, y = point(i, 118)
        parts.append(
            f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='middle' {FONT}>{escape(label)}</text>"
        )
    parts += [polygon(group, AMBER), polygon(own, BLUE)]
    parts.append(f"<rect x='4' y='4' width='10' height='10' fill='{BLUE}'/>")
    parts.append(f"<text x='18' y='13' {FONT}>本区</text>")
    parts.append(f"<rect x='54' y='4' width='10' height='10' fill='{AMBER}'/>")
    parts.append(f"<text x='68' y='13' {FONT}>组内平均</text>")
    parts.append("</svg>")
    return "".join(parts)


def rank_history(points: list[dict[str, object]]) -> str:
    """Published rank by year (1 at the top) with its 5th–95th interval as a vertical bar."""
    width, height, left, top, bottom = 360, 200, 20, 20, 30
    ranks = [p for p in points if p["rank"] is not None]
    if not ranks:
        return ""
    worst = max(float(str(p["high"] or p["rank"])) for p in ranks) + 1
    step = (width - left - 20) / max(1, len(ranks) - 1) if len(ranks) > 1 else 0

    def y(rank: float) -> float:
        return top + (height - top - bottom) * (rank - 1) / max(1.0, worst - 1)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}'>"]
    line = []
    for i, p in enumerate(ranks):
        x = left + 10 + i * step
        rank = float(str(p["rank"]))
        if p["low"] is not None:
            low, high = float(str(p["low"])), float(str(p["high"]))
            parts.append(
                f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{y(low):.1f}' y2='{y(high):.1f}' "
                f"stroke='{AMBER}' stroke-width='6' stroke-opacity='0.5'/>"
            )
        line.append(f"{x:.1f},{y(rank):.1f}")
        parts.append(f"<circle cx='{x:.1f}' cy='{y(rank):.1f}' r='4' fill='{BLUE}'/>")
        parts.append(f"<text x='{x + 8:.1f}' y='{y(rank) + 4:.1f}' {FONT}>{int(rank)}</text>")
        parts.append(
            f"<text x='{x:.1f}' y='{height - 8}' text-anchor='middle' {FONT}>{p['year']}</text>"
        )
    parts.insert(1, f"<polyline points='{' '.join(line)}' fill='none' stroke='{BLUE}'/>")
    parts.append("</svg>")
    return "".join(parts)


def score_colour(total: object) -> str:
    """A blue of the score's depth (0–100): deeper is better; grey for no score."""
    if total is None:
        return "#eef0f3"
    lightness = 92 - int(float(str(total)) * 0.55)
    return f"hsl(214, 70%, {max(30, lightness)}%)"
