"""A corrected revision's differences from the run it supersedes: page, export and scope."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.mujun import actions

from .conftest import evaluate_now

TODAY = date(2026, 3, 10)


def publish(run, manager):
    run = actions.start_publicity(
        run, start=TODAY, end=TODAY + timedelta(days=6), acting_user=manager
    )
    return actions.publish_run(run, acting_user=manager, today=TODAY + timedelta(days=7))


@pytest.fixture
def corrected(run, manager, rich_province):
    """Published; then 东城化工 (the second weakest) proves 5,000 万元 tax and 西城纺织's
    2025 record is withdrawn; the correction is a second revision."""
    old = publish(run, manager)
    names = rich_province["enterprises"]
    EnterpriseYear.objects.filter(enterprise=names["东城化工股份有限公司"], year=2025).update(
        tax_paid=Decimal(5000)
    )
    EnterpriseYear.objects.filter(enterprise=names["西城纺织有限公司"], year=2025).delete()
    new = evaluate_now(actions.correct_published(old, acting_user=manager))
    return old, new


def rows(page: str) -> list[list[str]]:
    body = page.split('data-testid="changes"', 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
        if "<td" in row
    ]


USCC = {
    "东城纺织有限公司": "91990102MA0000001D",
    "东城化工股份有限公司": "91990102MA0000002G",
    "高新电子有限公司": "91990100MA0000003N",
    "西城纺织有限公司": "91990200MA00000052",
}
EXPECTED = [
    # n = 5 (quotas 1/2/2) before, n = 4 (1/1/2) after: 东城化工 rises to first,
    # 高新电子 keeps its total and rank but falls to C, 西城纺织 is gone
    [
        "东城化工股份有限公司",
        USCC["东城化工股份有限公司"],
        "东城经济技术开发区",
        "变更:等级、总分、排名",
        "C → A",
        "79.90 → 229.29",
        "4 → 1",
        "参评 → 参评",
    ],
    [
        "东城纺织有限公司",
        USCC["东城纺织有限公司"],
        "东城经济技术开发区",
        "变更:排名",
        "C → C",
        "43.26 → 43.26",
        "5 → 4",
        "参评 → 参评",
    ],
    [
        "高新电子有限公司",
        USCC["高新电子有限公司"],
        "东城高新技术产业开发区",
        "变更:等级",
        "B → C",
        "116.53 → 116.53",
        "3 → 3",
        "参评 → 参评",
    ],
    [
        "西城纺织有限公司",
        USCC["西城纺织有限公司"],
        "西城经济开发区",
        "移除",
        "A → —",
        "189.81 → —",
        "1 → —",
        "参评 → —",
    ],
]


def test_the_changes_page_lists_every_enterprise_that_changed(client, corrected, province_analyst):
    # given the published run and its correction
    _old, new = corrected
    client.force_login(province_analyst)
    # when the analyst opens the differences
    page = client.get(reverse("mujun:changes", args=[new.pk])).content.decode()
    # then exactly the three changed enterprises and the removed one are listed (西城化工 kept
    # its rank 2, B and total, so it is not)
    assert rows(page) == EXPECTED
    assert '<div class="value" data-testid="change-count">4<span class="unit">家</span>' in page


def test_both_revisions_link_to_the_differences(client, corrected, province_analyst):
    old, new = corrected
    client.force_login(province_analyst)
    link = reverse("mujun:changes", args=[new.pk])
    assert link in client.get(reverse("mujun:run", args=[old.pk])).content.decode()
    assert link in client.get(reverse("mujun:run", args=[new.pk])).content.decode()
    # a first revision has nothing to compare with
    assert client.get(reverse("mujun:changes", args=[old.pk])).status_code == 404


def test_the_differences_export_as_xlsx(client, corrected, province_analyst):
    _old, new = corrected
    client.force_login(province_analyst)
    response = client.get(reverse("mujun:changes_export", args=[new.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "2025年度示范省亩均评价第2版对第1版的更正差异"
    assert [c.value for c in sheet[4]][:5] == [
        "统一社会信用代码",
        "企业名称",
        "所在开发区",
        "变化",
        "变化项",
    ]
    assert list(sheet.iter_rows(min_row=5, values_only=True)) == [
        (
            USCC["东城化工股份有限公司"],
            "东城化工股份有限公司",
            "东城经济技术开发区",
            "变更",
            "等级、总分、排名",
            "C",
            "A",
            79.9,
            229.29,
            4,
            1,
            "参评",
            "参评",
        ),
        (
            USCC["东城纺织有限公司"],
            "东城纺织有限公司",
            "东城经济技术开发区",
            "变更",
            "排名",
            "C",
            "C",
            43.26,
            43.26,
            5,
            4,
            "参评",
            "参评",
        ),
        (
            USCC["高新电子有限公司"],
            "高新电子有限公司",
            "东城高新技术产业开发区",
            "变更",
            "等级",
            "B",
            "C",
            116.53,
            116.53,
            3,
            3,
            "参评",
            "参评",
        ),
        (
            USCC["西城纺织有限公司"],
            "西城纺织有限公司",
            "西城经济开发区",
            "移除",
            "等级、总分、排名、状态",
            "A",
            None,
            189.81,
            None,
            1,
            None,
            "参评",
            None,
        ),
    ]


def test_a_zone_user_sees_only_its_zones_differences(client, corrected, zone_user):
    _old, new = corrected
    client.force_login(zone_user)
    page = client.get(reverse("mujun:changes", args=[new.pk])).content.decode()
    assert rows(page) == EXPECTED[:2]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("mujun:changes_export", args=[new.pk])).content)
    ).active
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == [
        "东城化工股份有限公司",
        "东城纺织有限公司",
    ]


def test_an_enterprise_sees_only_its_own_difference_once_published(
    client, corrected, manager, rich_province
):
    _old, new = corrected
    chemicals = rich_province["enterprises"]["东城化工股份有限公司"]
    client.force_login(make_user("ent", "enterprise_user", enterprise=chemicals))
    url = reverse("mujun:changes", args=[new.pk])
    # the correction is still a draft: not visible to the enterprise
    assert client.get(url).status_code == 404
    publish(new, manager)
    assert rows(client.get(url).content.decode()) == EXPECTED[:1]
