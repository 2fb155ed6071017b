"""In Debian's Chromium: the province page's map outlines the province and its cities, labels the
zones, has a legend for its colour scale and details on hover, with no policy violation."""

from typing import Any

import pytest
from django.core.management import call_command

from conftest import make_user
from kaifaqu.catalog.models import Region
from kaifaqu.demo.geography import voronoi_cells
from kaifaqu.maps.models import Boundary

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROVINCE_RING = [(117.0, 31.0), (119.0, 31.0), (119.0, 33.0), (117.0, 33.0)]
CENTRES = {"east": (118.5, 32.0), "east_htz": (118.3, 32.6), "west": (117.5, 32.2)}


def outline(province: dict[str, Any]) -> None:
    """The test province as a square, split between its two cities like the demo's."""
    east, west = voronoi_cells(PROVINCE_RING, [(118.5, 32.0), (117.5, 32.0)])
    for code, ring in (("990000", PROVINCE_RING), ("990100", east), ("990200", west)):
        closed = [list(p) for p in ring] + [list(ring[0])]
        Boundary.objects.create(
            region=Region.objects.get(code=code),
            geometry={"type": "Polygon", "coordinates": [closed]},
            source="测试",
        )
    for key, (lng, lat) in CENTRES.items():
        zone = province["zones"][key]
        zone.centre_lng, zone.centre_lat = lng, lat
        zone.save()


def test_the_province_page_map_has_outlines_labels_and_a_legend(
    live_server, province, page, tmp_path
):
    outline(province)
    make_user("analyst", "province_analyst", region=province["province"])
    call_command("run_job", "zone_summaries")
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None
    )
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "pass-for-tests-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.wait_for_selector("[data-map] svg")
    page.wait_for_timeout(500)  # the first frame of ECharts' animation
    svg = page.locator("[data-map] svg")
    texts = svg.evaluate("el => [...el.querySelectorAll('text')].map((t) => t.textContent)")
    # outlines: the province and both cities are drawn as paths, the cities named
    assert svg.locator("path").count() >= 3
    assert {"东城市", "西城市"} <= set(texts)
    # every zone labelled
    assert {"东城经济技术开发区", "东城高新技术产业开发区", "西城经济开发区"} <= set(texts)
    # a legend for the colour scale: its title with the unit, its ends
    assert "营业收入(万元)" in texts
    assert {"高", "低"} <= set(texts)
    assert "开发区分布与营业收入(2025年)" in texts
    page.screenshot(path=str(tmp_path / "province-map.png"), full_page=True)

    # hover details: a zone's name, kind and value in the tooltip
    box = page.locator("[data-map]").bounding_box()
    label = svg.locator("text:text-is('西城经济开发区')").first.bounding_box()
    page.mouse.move(label["x"] - 6, label["y"] + label["height"] / 2)
    tooltip = page.locator("[data-map] div", has_text="所在区划")
    tooltip.first.wait_for()
    assert "西城经济开发区" in tooltip.first.inner_text()
    assert "营业收入:6,003 万元" in tooltip.first.inner_text()
    assert box is not None

    # and the zone list carries the same map
    page.goto(f"{live_server.url}/zones/")
    page.wait_for_selector("[data-map] svg")
    assert problems == []
