"""The per-enterprise result sheet: the card as a formatted xlsx, scoped like the card."""

import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.urls import reverse

from conftest import make_user
from kaifaqu.mujun import actions
from kaifaqu.mujun.models import EvaluationResult


def sheet_of(response):
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def facts(sheet) -> dict[str, object]:
    return {
        row[0]: row[1]
        for row in sheet.iter_rows(min_row=3, max_row=12, max_col=2, values_only=True)
    }


def test_the_result_sheet_holds_the_whole_card(client, run, province_analyst):
    # given the strongest and the weakest enterprise of the province run
    client.force_login(province_analyst)
    best = EvaluationResult.objects.filter(run=run).order_by("-total").first()
    # when the analyst downloads the best one's sheet
    response = client.get(reverse("mujun:result_sheet", args=[best.pk]))
    # then it is an xlsx named after the enterprise, with identity, result and indicators
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''2025" in response["Content-Disposition"]
    sheet = sheet_of(response)
    assert sheet["A1"].value == "2025年度工业企业亩均效益综合评价结果单"
    assert facts(sheet) == {
        "企业名称": best.enterprise.name,
        "统一社会信用代码": best.enterprise.uscc,
        "所在开发区": best.zone.name,
        "行业代码": best.industry_code,
        "评价池": "规上",
        "评价批次": f"{run}(草稿)",
        "总分": float(best.total),
        "池内排名": 1,
        "等级": "A(优先发展类)",
        "状态": "参评",
    }
    rows = list(sheet.iter_rows(min_row=16, max_row=21, max_col=6, values_only=True))
    # (xlsx keeps 15 significant digits)
    assert rows[0][:5] == ("亩均税收", "万元/亩", 12.5, 24.097, 30)
    assert rows[0][5] == pytest.approx(best.items["tax_per_mu"], rel=1e-14)
    assert [r[0] for r in rows] == [
        "亩均税收",
        "亩均增加值",
        "单位能耗增加值",
        "单位排放增加值",
        "全员劳动生产率",
        "研发经费投入强度",
    ]
    assert sum(r[5] for r in rows) == pytest.approx(float(best.total), abs=0.005)
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "差别化电价" in texts
    assert "不加价" in texts
    assert "优先保障新增用地" in texts


def test_the_result_sheet_names_the_path_to_the_next_grade(client, run, province_analyst):
    client.force_login(province_analyst)
    weakest = EvaluationResult.objects.filter(run=run).order_by("total").first()
    sheet = sheet_of(client.get(reverse("mujun:result_sheet", args=[weakest.pk])))
    texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    e = weakest.explanation
    assert f"达到B类需总分{e['needed_total']:.2f}(现{weakest.total}),其他指标不变时:" in texts
    assert f"实缴税收增加{e['more_tax']:,.2f}万元(每亩+{e['more_tax_per_mu']:,.4f}万元)" in texts


def test_an_enterprise_gets_its_own_sheet_only_once_public(client, run, manager):
    result, other = EvaluationResult.objects.filter(run=run).order_by("pk")[:2]
    client.force_login(make_user("ent", "enterprise_user", enterprise=result.enterprise))
    assert client.get(reverse("mujun:result_sheet", args=[result.pk])).status_code == 404
    start = date(2026, 3, 10)
    actions.start_publicity(run, start=start, end=start + timedelta(days=6), acting_user=manager)
    assert client.get(reverse("mujun:result_sheet", args=[result.pk])).status_code == 200
    assert client.get(reverse("mujun:result_sheet", args=[other.pk])).status_code == 404
