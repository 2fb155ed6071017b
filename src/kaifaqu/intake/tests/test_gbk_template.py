"""The platform's own templates survive a clerk's GBK (CP936) CSV, and a header problem does not
hide the row problems of the same file."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from kaifaqu.catalog.uscc import uscc_check_character
from kaifaqu.enterprises.models import EnterpriseYear
from kaifaqu.intake.actions import commit_batch, create_batch
from kaifaqu.intake.importers import IMPORTERS

pytestmark = pytest.mark.django_db


def template_header(client, kind):
    response = client.get(reverse("intake:template", args=[kind]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    return [cell.value for cell in book.worksheets[0][1]]


def run(data, user, name="年报.csv"):
    batch = create_batch(data, name, "enterprise-years", acting_user=user)
    return commit_batch(batch, acting_user=user)


@pytest.mark.parametrize("kind", sorted(IMPORTERS))
def test_every_template_header_encodes_in_gbk(analyst_client, kind):
    header = template_header(analyst_client, kind)
    assert header
    assert ",".join(header).encode("gbk").decode("gbk") == ",".join(header)


def test_a_gbk_csv_saved_from_the_template_imports(analyst_client, province_analyst, usccs):
    header = template_header(analyst_client, "enterprise-years")
    assert "租用厂房面积(平方米)" in header
    values = {"统一社会信用代码": usccs["东城纺织有限公司"], "年度": "2023"}
    values |= {"营业收入(万元)": "1234.5", "租用厂房面积(平方米)": "800"}
    row = [values.get(name, "") for name in header]
    data = "\r\n".join([",".join(header), ",".join(row)]).encode("gbk")

    batch = run(data, province_analyst)

    assert batch.state == "committed", batch.problems
    stored = EnterpriseYear.objects.get(year=2023)
    assert (stored.operating_revenue, stored.leased_floor_area_m2) == (Decimal("1234.5"), 800)


@pytest.mark.parametrize("unit", ["m²", "㎡", "m2", "平方米"])
def test_the_superscript_spelling_of_a_unit_is_still_accepted(province_analyst, usccs, unit):
    header = f"统一社会信用代码,年度,租用厂房面积({unit})"
    data = f"{header}\n{usccs['东城纺织有限公司']},2023,800\n".encode()

    batch = run(data, province_analyst)

    assert batch.state == "committed", batch.problems
    assert EnterpriseYear.objects.get(year=2023).leased_floor_area_m2 == 800


def test_a_header_problem_and_the_row_problems_are_reported_together(province_analyst, usccs):
    east = usccs["东城纺织有限公司"]
    rows = [
        "统一社会信用代码,年度,营业收入(万元),用地面积(公顷),纳税总额(元)",
        f"{east},2023,abc,5,100",
        f"{east},20x3,100,5,100",
        "91990102MA0000009X,2023,100,5,100",
    ]

    batch = run("\n".join(rows).encode("gbk"), province_analyst)

    assert batch.state == "refused"
    assert [(p["row"], p["column"], p["code"]) for p in batch.problems] == [
        (None, "用地面积(公顷)", "unit_mismatch"),
        (2, "营业收入(万元)", "not_a_number"),
        (3, "年度", "not_a_number"),
        (4, "统一社会信用代码", "invalid_uscc"),
    ]
    assert batch.problems[0]["fix"] == "换算为亩后填写,并把表头改为「用地面积(亩)」"
    assert batch.counts["rows"] == 3
    assert not EnterpriseYear.objects.filter(year=2023).exists()


def test_references_are_checked_beside_a_header_problem(province_analyst):
    unknown = "91990102MA0000010" + uscc_check_character("91990102MA0000010")
    rows = ["统一社会信用代码,年度,用地面积(公顷)", f"{unknown},2023,5"]

    batch = run("\n".join(rows).encode("gbk"), province_analyst)

    assert batch.state == "refused"
    assert [(p["row"], p["code"]) for p in batch.problems] == [
        (None, "unit_mismatch"),
        (2, "unknown_reference"),
    ]
