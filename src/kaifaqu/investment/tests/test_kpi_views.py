"""The KPI dashboard: figures against targets, each number's projects, scope, the xlsx export."""

from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_user
from kaifaqu.investment.kpi_models import Kpi, KpiTarget
from kaifaqu.investment.tests.kpi_world import world

pytestmark = pytest.mark.django_db
KPIS = reverse("investment:kpis")
BEHIND = reverse("investment:kpi_projects")


@pytest.fixture(autouse=True)
def clock() -> Any:
    moment = datetime(2026, 3, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def projects(province: dict[str, Any]) -> dict[str, Any]:
    return world(province["zones"])


def test_the_dashboard_shows_each_kpi_against_its_target(
    client: Any, province: dict[str, Any], projects: dict[str, Any]
) -> None:
    east = province["zones"]["east"]
    KpiTarget.objects.create(zone=east, year=2025, kpi=Kpi.SIGN_CONVERSION_PERIOD, value=60)
    client.force_login(make_user("prov", "province_analyst", region=province["province"]))
    page = client.get(KPIS, {"year": 2025}).content.decode()
    assert "招商指标 · 2025年" in page
    assert "签约转化率(期间口径)" in page
    assert "50.0%" in page
    # The standards: 50% ≥ 50%, 主导产业 66.7% ≥ 30%, 当年开工 66.7% ≥ 30%: all met.
    assert page.count('light-green">达标<') == 3
    assert "未达标" not in page
    zone_page = client.get(KPIS, {"year": 2025, "zone": east.pk}).content.decode()
    # The east zone alone: A and B signed of A, B, C, D, G in the pool; its own target 60%.
    assert "40.0%" in zone_page
    assert "60%" in zone_page
    assert "未达标" in zone_page
    assert '<td>洽谈</td><td class="num">1</td>' in page  # days in stage: C
    assert 'data-chart="chart-funnel"' in page
    assert 'data-chart="chart-trend"' in page


def test_each_number_lists_the_projects_behind_it(
    client: Any, province: dict[str, Any], projects: dict[str, Any]
) -> None:
    client.force_login(make_user("prov", "province_analyst", region=province["province"]))
    params = {"figure": Kpi.SAME_YEAR_START, "part": "num", "year": 2025}
    page = client.get(BEHIND, params).content.decode()
    assert "项目A" in page
    assert "项目E" in page
    assert "项目B" not in page
    west = province["zones"]["west"].pk
    grouped = {**params, "group": "zone", "key": west}
    page = client.get(BEHIND, grouped).content.decode()
    assert "项目E" in page
    assert "项目A" not in page
    nonsense = client.get(BEHIND, {**params, "figure": "nonsense"}).content.decode()
    assert "项目A" not in nonsense


def test_a_zone_sees_only_its_own_projects(
    client: Any, province: dict[str, Any], projects: dict[str, Any]
) -> None:
    client.force_login(make_user("west", "zone_analyst", zones=(province["zones"]["west"],)))
    page = client.get(BEHIND, {"figure": Kpi.SIGN_CONVERSION_PERIOD, "part": "den", "year": 2025})
    text = page.content.decode()
    assert "项目E" in text
    assert "项目A" not in text
    dashboard = client.get(KPIS, {"year": 2025, "by": "zone"}).content.decode()
    assert "西城经济开发区" in dashboard
    assert "东城经济技术开发区" not in dashboard


def test_the_kpi_table_exports_to_xlsx(
    client: Any, province: dict[str, Any], projects: dict[str, Any]
) -> None:
    client.force_login(make_user("prov", "province_analyst", region=province["province"]))
    response = client.get(KPIS, {"year": 2025, "by": "zone", "export": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == (
        "开发区",
        "项目数",
        "签约转化率(期间口径)(%)",
        "签约转化率(期间口径)目标(%)",
    )
    by_zone = {row[0]: row for row in rows[1:]}
    assert by_zone["西城经济开发区"][1:4] == (1, 100, 50)
    assert by_zone["东城经济技术开发区"][2] == 40
    assert Decimal(str(by_zone["东城经济技术开发区"][3])) == 50
