"""Bonus and penalty points a bureau enters: what a run adds and deducts, the writes and their
scope, the page's import and export, and the result card."""

import io
from decimal import Decimal

import openpyxl
import polars as pl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kaifaqu.audit.models import ObjectChange
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.mujun import actions, bridge
from kaifaqu.mujun.models import EvaluationResult, PointsEntry

from .conftest import evaluate_now


def add(
    enterprise,
    user,
    *,
    year=2025,
    kind="bonus",
    points="1",
    item="节能技改",
    evidence="淮工信〔2025〕12号",
):
    return actions.add_points(
        enterprise,
        year=year,
        kind=kind,
        points=Decimal(points),
        item=item,
        evidence=evidence,
        acting_user=user,
    )


@pytest.fixture
def entries(rich_province, manager):
    """东城化工: 2 + 1 bonus points in 2025; 高新电子: 2 penalty points in 2025; 西城纺织: 5 bonus
    points, but in 2024."""
    names = rich_province["enterprises"]
    add(names["东城化工股份有限公司"], manager, points="2", item="安全生产标准化一级")
    add(names["东城化工股份有限公司"], manager, points="1", item="节能技改")
    add(names["高新电子有限公司"], manager, kind="penalty", points="2", item="县区扣分")
    add(names["西城纺织有限公司"], manager, year=2024, points="5", item="科技奖励")
    return names


def test_the_entries_of_the_year_are_summed_per_kind(entries):
    ids = {name: enterprise.pk for name, enterprise in entries.items()}
    frame = pl.DataFrame({"enterprise_id": list(ids.values())})
    points = ["bonus_points", "penalty_points"]
    by_year = {
        year: dict(zip(ids, bridge.rule_facts(frame, year).select(points).rows(), strict=True))
        for year in (2024, 2025)
    }
    assert by_year == {
        2025: dict.fromkeys(ids, (None, None))
        | {"东城化工股份有限公司": (3.0, None), "高新电子有限公司": (None, 2.0)},
        2024: dict.fromkeys(ids, (None, None)) | {"西城纺织有限公司": (5.0, None)},
    }


@pytest.fixture
def huaian(rich_province, manager):
    """淮安's scheme on the province. 2024 as rich_province made it; in 2025 东城化工 pays 290
    万元 instead of 200, so it closes to 1.08 points behind 高新电子 (the last B)."""
    EnterpriseYear.objects.update(electricity_10k_kwh=Decimal(100))  # 单位电耗税收 needs it
    EnterpriseYear.objects.filter(
        enterprise=rich_province["enterprises"]["东城化工股份有限公司"], year=2025
    ).update(tax_paid=Decimal(290))
    return actions.copy_preset("huaian_2024", region=rich_province["province"], acting_user=manager)


def run_2025(scheme, rich_province, manager):
    run = actions.start_run(
        scheme, year=2025, region=rich_province["province"], zone=None, acting_user=manager
    )
    return evaluate_now(run)


def totals_and_grades(run) -> dict[str, tuple[Decimal, str]]:
    results = EvaluationResult.objects.filter(run=run).select_related("enterprise")
    return {r.enterprise.name: (r.total, r.grade) for r in results}


def test_a_huaian_run_adds_and_deducts_the_entered_points(huaian, rich_province, manager):
    # given a run before any entry
    before = totals_and_grades(run_2025(huaian, rich_province, manager))
    assert before == {
        "东城纺织有限公司": (Decimal("28.33"), "C"),
        "东城化工股份有限公司": (Decimal("48.92"), "C"),
        "高新电子有限公司": (Decimal("50.00"), "B"),
        "西城化工有限公司": (Decimal("60.83"), "B"),
        "西城纺织有限公司": (Decimal("71.67"), "A"),
    }
    # when the bureau enters 3 bonus points, 2 penalty points and 5 points for 2024, and reruns
    add(rich_province["enterprises"]["东城化工股份有限公司"], manager, points="2", item="科技奖励")
    add(rich_province["enterprises"]["东城化工股份有限公司"], manager, points="1")
    add(rich_province["enterprises"]["高新电子有限公司"], manager, kind="penalty", points="2")
    add(rich_province["enterprises"]["西城纺织有限公司"], manager, year=2024, points="5")
    after = totals_and_grades(run_2025(huaian, rich_province, manager))
    # then 东城化工 gains exactly 3, 高新电子 loses exactly 2, and they swap B and C
    assert after == before | {
        "东城化工股份有限公司": (Decimal("51.92"), "B"),
        "高新电子有限公司": (Decimal("48.00"), "C"),
    }


def test_the_result_card_lists_the_entries_that_counted(
    client, huaian, rich_province, manager, entries
):
    # given a run that read 东城化工's 3 bonus points
    run = run_2025(huaian, rich_province, manager)
    result = EvaluationResult.objects.get(run=run, enterprise=entries["东城化工股份有限公司"])
    url = reverse("mujun:result", args=[result.pk])
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert '<td>安全生产标准化一级</td><td class="num">2.00</td><td>淮工信〔2025〕12号</td>' in page
    assert '<td>节能技改</td><td class="num">1.00</td>' in page
    assert "本批次计入:加分合计 3.00 分,扣分合计 0.00 分" in page
    assert "计算后有增删" not in page
    # when one entry is withdrawn after the run
    actions.delete_points(PointsEntry.objects.get(item="节能技改"), acting_user=manager)
    page = client.get(url).content.decode()
    # then the card still says what the run counted, and that the entries changed since
    assert "本批次计入:加分合计 3.00 分" in page
    assert "节能技改" not in page
    assert "以上记录在本批次计算后有增删" in page


# --- writes and scope ----------------------------------------------------------------------------


def test_an_entry_is_written_with_its_zone_and_logged(rich_province, zone_user):
    enterprise = rich_province["enterprises"]["东城纺织有限公司"]
    entry = add(enterprise, zone_user, points="1.5")
    entry.refresh_from_db()
    assert (entry.zone, entry.province_code, entry.points, entry.entered_by) == (
        rich_province["zones"]["east"],
        "990000",
        Decimal("1.50"),
        zone_user,
    )
    change = ObjectChange.objects.get(object_id=str(entry.pk), content_type__model="pointsentry")
    assert (change.action, change.after["item"], change.after["points"]) == (
        "create",
        "节能技改",
        "1.5",
    )


def test_a_zone_user_cannot_write_for_another_zone(rich_province, zone_user, manager):
    # given an entry of the west zone
    west = rich_province["enterprises"]["西城化工有限公司"]
    entry = add(west, manager)
    logged = ObjectChange.objects.count()
    # when the east zone's user adds for a west enterprise, or deletes the west entry
    with pytest.raises(PermissionDenied):
        add(west, zone_user, item="科技奖励")
    with pytest.raises(PermissionDenied):
        actions.delete_points(entry, acting_user=zone_user)
    # then nothing changed
    assert list(PointsEntry.objects.values_list("pk", "item")) == [(entry.pk, "节能技改")]
    assert ObjectChange.objects.count() == logged


def test_an_import_with_one_refused_row_writes_nothing(rich_province, zone_user):
    from kaifaqu.mujun.points import EntryFields

    names = rich_province["enterprises"]
    rows = [
        EntryFields(names["东城纺织有限公司"], 2025, "bonus", Decimal(1), "节能技改", "文1"),
        EntryFields(names["西城化工有限公司"], 2025, "bonus", Decimal(1), "节能技改", "文1"),
    ]
    with pytest.raises(PermissionDenied):
        actions.import_points(rows, acting_user=zone_user)
    assert (PointsEntry.objects.count(), ObjectChange.objects.count()) == (0, 0)


# --- the page ------------------------------------------------------------------------------------

HEADER = "统一社会信用代码,年度,类别(加分/扣分),分值,事项,依据文号\n"


def upload(client, text: str, name: str = "points.csv"):
    file = io.BytesIO(text.encode())
    file.name = name
    return client.post(reverse("mujun:points_import"), {"file": file})


def test_a_file_is_imported_whole(client, rich_province, zone_user):
    names = rich_province["enterprises"]
    first, second = names["东城纺织有限公司"].uscc, names["东城化工股份有限公司"].uscc
    client.force_login(zone_user)
    response = upload(
        client,
        HEADER + f"{first},2025,加分,3,安全生产标准化一级,淮应急〔2025〕3号\n"
        f"{second},2025,扣分,0.5,县区扣分,东城〔2025〕8号\n",
    )
    assert response.status_code == 302
    assert list(
        PointsEntry.objects.order_by("pk").values_list(
            "enterprise__name", "year", "kind", "points", "item", "evidence", "entered_by"
        )
    ) == [
        (
            "东城纺织有限公司",
            2025,
            "bonus",
            Decimal("3.00"),
            "安全生产标准化一级",
            "淮应急〔2025〕3号",
            zone_user.pk,
        ),
        (
            "东城化工股份有限公司",
            2025,
            "penalty",
            Decimal("0.50"),
            "县区扣分",
            "东城〔2025〕8号",
            zone_user.pk,
        ),
    ]
    assert ObjectChange.objects.filter(content_type__model="pointsentry").count() == 2
    assert "已导入2条加扣分记录" in client.get(response.url).content.decode()


def test_a_file_with_bad_rows_is_refused_row_by_row(client, rich_province, zone_user, manager):
    names = rich_province["enterprises"]
    east, west = names["东城纺织有限公司"].uscc, names["西城化工有限公司"].uscc
    add(names["东城纺织有限公司"], manager, item="科技奖励", evidence="文1")
    client.force_login(zone_user)
    response = upload(
        client,
        HEADER + f"{east},2025,加分,3,节能技改,文2\n"  # good, but not written
        f"{west},2025,加分,3,节能技改,文2\n"  # another zone's enterprise
        f"{east},25,奖励,-1,,文2\n"
        f"{east},2025,加分,1.234,节能技改,\n"
        f"{east},2025,加分,1,科技奖励,文1\n"  # already entered
        f"{east},2025,加分,3,节能技改,文2\n"  # the file's second row again
        "91990102MA0000001X,2025,加分,1,节能技改,文3\n",
    )
    assert response.status_code == 400
    problems = [p.strip() for p in response.context["problems"]]
    assert problems == [
        "第3行「统一社会信用代码」列:没有该企业,或该企业不在您的数据范围内(只能为本辖区已登记的企业录入)",
        "第4行「年度」列:「25」不是年度(请填写四位年份,如 2024)",
        "第4行「类别」列:「奖励」不是类别(请填写「加分」或「扣分」)",
        "第4行「分值」列:分值须大于0(现-1)(扣分也填正数,类别填「扣分」)",
        "第4行「事项」列:不能为空(请填写事项)",
        "第5行「分值」列:分值「1.234」超出范围或多于两位小数(请填写0.01至9999.99之间的分值)",
        "第5行「依据文号」列:不能为空(请填写依据文号)",
        "第6行「事项」列:该企业本年度已有相同事项、相同文号的记录(同一文件同一事项只录入一次;若确有多笔,请在事项中区分)",
        "第7行「事项」列:该企业本年度已有相同事项、相同文号的记录(同一文件同一事项只录入一次;若确有多笔,请在事项中区分)",
        "第8行「统一社会信用代码」列:统一社会信用代码校验位错误:末位应为 "
        f"{east[17]},实为 X(请核对统一社会信用代码)",
    ]
    assert list(PointsEntry.objects.values_list("item", flat=True)) == ["科技奖励"]


def test_a_file_without_a_column_is_refused(client, rich_province, zone_user):
    client.force_login(zone_user)
    response = upload(client, "统一社会信用代码,年度,分值,事项\nx,2025,1,y\n")
    assert response.context["problems"] == [
        "第1行「类别」列:缺少此列(请使用导出文件或模板的列名:统一社会信用代码、年度、类别、分值、事项、依据文号)",
        "第1行「依据文号」列:缺少此列(请使用导出文件或模板的列名:统一社会信用代码、年度、类别、分值、事项、依据文号)",
    ]
    assert not PointsEntry.objects.exists()


def test_the_export_holds_the_users_scope_and_reads_back(client, entries, zone_user):
    # given entries in the east zone (东城化工 ×2) and outside it (高新电子 in the high-tech zone,
    # 西城纺织 in the west)
    client.force_login(zone_user)
    response = client.get(reverse("mujun:points_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    uscc = entries["东城化工股份有限公司"].uscc
    assert rows[0][:7] == (
        "统一社会信用代码",
        "年度",
        "类别",
        "分值",
        "事项",
        "依据文号",
        "企业名称",
    )
    assert [row[:8] for row in rows[1:]] == [
        (
            uscc,
            2025,
            "加分",
            2,
            "安全生产标准化一级",
            "淮工信〔2025〕12号",
            "东城化工股份有限公司",
            "东城经济技术开发区",
        ),
        (
            uscc,
            2025,
            "加分",
            1,
            "节能技改",
            "淮工信〔2025〕12号",
            "东城化工股份有限公司",
            "东城经济技术开发区",
        ),
    ]
    # when the exported file is sent back unchanged, then its rows are already entered
    back = io.BytesIO(response.content)
    back.name = "加扣分.xlsx"
    refused = client.post(reverse("mujun:points_import"), {"file": back})
    assert [p[:4] for p in refused.context["problems"]] == ["第2行「", "第3行「"]
    assert PointsEntry.objects.count() == 4


def test_the_list_filters_by_year_and_zone_at_a_fixed_number_of_queries(
    client, entries, province_analyst, rich_province, django_assert_max_num_queries
):
    client.force_login(province_analyst)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mujun:points") + "?year=2025")
    assert [e.item for e in response.context["entries"]] == [
        "安全生产标准化一级",
        "节能技改",
        "县区扣分",
    ]
    west = rich_province["zones"]["west"]
    response = client.get(reverse("mujun:points") + f"?zone={west.pk}")
    assert [(e.year, e.item) for e in response.context["entries"]] == [(2024, "科技奖励")]
    assert response.context["count"] == 1
