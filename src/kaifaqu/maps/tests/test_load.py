"""Loading division outlines from GeoJSON: all or nothing, every problem named by feature and
property, only by an administrator who may change them."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from conftest import make_user
from kaifaqu.audit.models import ObjectChange
from kaifaqu.maps.actions import load_boundaries
from kaifaqu.maps.geojson import BoundaryFileError, read_outlines
from kaifaqu.maps.models import Boundary

pytestmark = pytest.mark.django_db

EAST = [[[118.0, 32.0], [119.0, 32.0], [119.0, 33.0], [118.0, 33.0], [118.0, 32.0]]]
WEST = [[[117.0, 32.0], [118.0, 32.0], [118.0, 33.0], [117.0, 32.0]]]


def feature(properties: dict[str, Any], coordinates: Any, kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def geojson(tmp_path: Path, *features: dict[str, Any]) -> Path:
    path = tmp_path / "cities.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def test_a_valid_file_adds_then_replaces_outlines(province, tmp_path):
    # given a file with the east city (by code) and the west city (by DataV's adcode)
    path = geojson(
        tmp_path,
        feature({"code": "990100", "name": "东城市"}, EAST),
        feature({"adcode": 990200, "name": "西城市"}, [WEST], "MultiPolygon"),
    )
    # when the system account loads it
    call_command("load_boundaries", str(path))
    # then both cities have an outline, named by the file, and the change log has both
    stored = {b.region.code: (b.geometry["type"], b.source) for b in Boundary.objects.all()}
    assert stored == {
        "990100": ("Polygon", "cities.geojson"),
        "990200": ("MultiPolygon", "cities.geojson"),
    }
    assert ObjectChange.objects.filter(content_type__model="boundary").count() == 2
    # and loading again replaces rather than duplicates
    moved = [[[p[0] + 0.5, p[1]] for p in EAST[0]]]
    call_command("load_boundaries", str(geojson(tmp_path, feature({"code": "990100"}, moved))))
    assert Boundary.objects.count() == 2
    assert Boundary.objects.get(region__code="990100").geometry["coordinates"] == moved


def test_every_problem_is_named_by_feature_and_property_and_nothing_is_loaded(province, tmp_path):
    # given one good feature and five bad ones
    path = geojson(
        tmp_path,
        feature({"code": "990100", "name": "东城市"}, EAST),
        feature({"name": "无代码区"}, EAST),
        feature({"code": "990300", "name": "南城市"}, EAST),
        feature({"code": "990100", "name": "东城市(重复)"}, EAST),
        feature({"code": "990200", "name": "西城市"}, [EAST[0][:4]]),
        {"type": "Point", "properties": {}},
    )
    # when it is loaded, it is refused with one line per problem
    with pytest.raises(CommandError) as refused:
        call_command("load_boundaries", str(path))
    assert str(refused.value).splitlines() == [
        "cities.geojson 未加载:",
        "第2个要素(无代码区)缺少属性 code:须为6位行政区划代码(也可用 adcode)",
        "第3个要素(南城市)的属性 code 为 990300:不是平台已有的行政区划代码,"
        "请先在行政区划中添加或改正代码",
        "第4个要素(东城市(重复))的属性 code 为 990100:与第1个要素重复",
        "第5个要素(西城市)的 geometry 有误:四至范围第1个多边形的边界环未闭合:首尾坐标须相同",
        '第6个要素不是 GeoJSON Feature({"type": "Feature", ...})',
    ]
    # and nothing was written, not even the good feature
    assert Boundary.objects.count() == 0
    assert not ObjectChange.objects.filter(content_type__model="boundary").exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "文件不是有效的 JSON:第1行第2列"),
        ('{"type": "Feature"}', "文件顶层须为 GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "features 为空"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(province, text, problem):
    with pytest.raises(BoundaryFileError) as refused:
        read_outlines(text)
    assert problem in str(refused.value)


def test_a_failure_midway_writes_nothing(province):
    # given two outlines read well, the second spoilt before it is saved
    outlines = read_outlines(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [feature({"code": "990100"}, EAST), feature({"code": "990200"}, WEST)],
            }
        )
    )
    outlines[1].geometry["coordinates"] = "broken after reading"
    system = make_user("steward", "system_admin")
    # when loaded, the second is refused by the model's own validation
    with pytest.raises(ValidationError, match="四至范围"):
        load_boundaries(outlines, source="x.geojson", acting_user=system)
    # then the first was rolled back with it
    assert Boundary.objects.count() == 0


def test_only_an_administrator_who_may_change_outlines_loads_them(province, province_analyst):
    outlines = read_outlines(
        json.dumps({"type": "FeatureCollection", "features": [feature({"code": "990100"}, EAST)]})
    )
    with pytest.raises(PermissionDenied, match="须为系统管理员"):
        load_boundaries(outlines, source="x.geojson", acting_user=province_analyst)
    assert Boundary.objects.count() == 0
    system = make_user("steward", "system_admin")
    assert load_boundaries(outlines, source="x.geojson", acting_user=system) == {
        "added": 1,
        "replaced": 0,
    }


def test_the_command_refuses_a_business_user(province, province_analyst, tmp_path):
    path = geojson(tmp_path, feature({"code": "990100"}, EAST))
    with pytest.raises(CommandError, match="您无权加载行政区划边界"):
        call_command("load_boundaries", str(path), "--as", "analyst")
    assert Boundary.objects.count() == 0


def test_the_system_administrator_uploads_a_file_in_the_admin(client, province, tmp_path):
    client.force_login(make_user("steward", "system_admin"))
    changelist = client.get("/admin/maps/boundary/").content.decode()
    assert 'data-testid="boundary-upload"' in changelist
    # a file with a problem: the page names it, and nothing is loaded
    bad = geojson(tmp_path, feature({"name": "无代码区"}, EAST))
    with bad.open("rb") as upload:
        page = client.post("/admin/maps/boundary/upload/", {"file": upload})
    assert page.status_code == 200
    assert "第1个要素(无代码区)缺少属性 code" in page.content.decode()
    assert Boundary.objects.count() == 0
    # a good one is loaded, and the list says so
    good = geojson(tmp_path, feature({"code": "990100"}, EAST))
    with good.open("rb") as upload:
        done = client.post("/admin/maps/boundary/upload/", {"file": upload}, follow=True)
    assert "已加载 cities.geojson:新增 1 个边界,替换 0 个" in done.content.decode()
    assert list(Boundary.objects.values_list("region__code", flat=True)) == ["990100"]


def test_a_business_user_cannot_upload_in_the_admin(client, province, province_analyst, tmp_path):
    client.force_login(province_analyst)
    with geojson(tmp_path, feature({"code": "990100"}, EAST)).open("rb") as upload:
        response = client.post("/admin/maps/boundary/upload/", {"file": upload})
    assert response.status_code == 302  # to the admin's login
    assert Boundary.objects.count() == 0
