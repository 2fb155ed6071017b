"""The pages: board, list and export, project page with its timeline, the transition forms,
我的项目, and scope (another zone's project does not exist)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kaifaqu.investment import actions
from kaifaqu.investment.actions import Evidence
from kaifaqu.investment.choices import Stage
from kaifaqu.investment.models import Project
from kaifaqu.investment.tests.conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world):
    project, user = world["project"], world["users"]["zone"]
    project.stage_entered = date(2025, 1, 1)
    project.save()
    actions.advance(project, Stage.RESERVE, Evidence(date(2025, 2, 1)), acting_user=user)
    actions.advance(project, Stage.NEGOTIATING, Evidence(date(2025, 3, 1)), acting_user=user)
    actions.advance(
        project, Stage.SIGNED,
        Evidence(date(2025, 4, 1), files=[pdf()], contract_amount=Decimal("88000")),
        acting_user=user,
    )  # fmt: skip
    return Project.objects.get(pk=project.pk)


def test_the_board_list_and_page_show_the_project_to_its_zone(client, world, signed):
    client.force_login(world["users"]["zone"])
    board = client.get(reverse("investment:board")).content.decode()
    assert "新能源电池材料项目" in board
    assert "8.80 亿元" in board
    listing = client.get(reverse("investment:project_list")).content.decode()
    assert "新能源电池材料项目" in listing
    page = client.get(signed.get_absolute_url()).content.decode()
    assert "洽谈 → 签约" in page
    assert "签约金额 8.80 亿元" in page
    assert "推进至「注册」" in page
    mine = client.get(reverse("investment:my_projects")).content.decode()
    assert "新能源电池材料项目" in mine


def test_another_zone_does_not_see_the_project(client, world, signed):
    client.force_login(world["users"]["west_zone"])
    assert client.get(signed.get_absolute_url()).status_code == 404
    assert client.get(reverse("investment:advance", args=[signed.pk])).status_code == 404
    assert (
        "新能源电池材料项目" not in client.get(reverse("investment:project_list")).content.decode()
    )


def test_the_city_sees_its_region_and_the_export_holds_the_list(client, world, signed):
    client.force_login(world["users"]["city"])
    response = client.get(reverse("investment:project_list") + "?export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.values)
    assert rows[0][:5] == ("项目编号", "项目名称", "开发区", "投资方", "阶段")
    assert rows[1][1:5] == ("新能源电池材料项目", "东城经济技术开发区", "华创新能源集团", "签约")


def test_a_transition_form_refusal_shows_and_changes_nothing(client, world, signed):
    client.force_login(world["users"]["zone"])
    url = reverse("investment:advance", args=[signed.pk])
    response = client.post(url, {"occurred_on": "2025-05-01", "uscc": "91990102MA00000099"})
    assert "请先在企业名录中登记该企业" in response.content.decode()
    signed.refresh_from_db()
    assert signed.stage == Stage.SIGNED
    uscc = world["enterprises"]["东城纺织有限公司"].uscc
    response = client.post(url, {"occurred_on": "2025-05-01", "uscc": uscc})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.stage == Stage.REGISTERED


def test_the_system_administrator_keeps_the_stage_settings(client, province):
    from conftest import make_user
    from kaifaqu.investment.models import StageSetting

    client.force_login(make_user("sysadmin", "system_admin", region=province["province"]))
    listing = client.get("/admin/investment/stagesetting/")
    assert listing.status_code == 200
    assert "洽谈" in listing.content.decode()
    assert client.get("/admin/investment/stagesetting/add/").status_code == 403
    signed = StageSetting.objects.get(stage="signed")
    assert (signed.expected_days, str(signed.win_probability)) == (60, "0.750")
