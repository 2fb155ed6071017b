"""Yearly files as bureaus send them: 对照列 (企业名称, 开发区代码, 行业代码) checked against the
registry and never stored, 序号 and 备注 ignored, and exports that carry the reference columns."""

import io

import openpyxl
import pytest

from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake.actions import create_batch, validate_batch
from kaifaqu.intake.columns import ENTERPRISE_YEARS
from kaifaqu.intake.exports import export_queryset
from kaifaqu.intake.template import template_workbook
from kaifaqu.intake.tests.test_import import run, workbook
from kaifaqu.spreadsheets.writing import to_xlsx

pytestmark = pytest.mark.django_db

BUREAU_HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "开发区代码",
    "行业代码",
    "年度",
    "营业收入(万元)",
    "备注",
]
NAME_FIX = "核对统一社会信用代码是否填错;名称变更请先更新企业名录"
ZONE_FIX = "核对统一社会信用代码是否填错;企业迁入其他开发区请先更新企业名录"
INDUSTRY_FIX = "核对统一社会信用代码是否填错;行业变更请先更新企业名录"


@pytest.fixture
def textiles(province):
    return province["enterprises"]["东城纺织有限公司"]  # Z001, industry 17


@pytest.fixture
def chemicals(province):
    return province["enterprises"]["东城化工股份有限公司"]  # Z001, industry 26


def found(batch):
    return [
        (p["sheet"], p["row"], p["column"], p["value"], p["code"], p["message"], p["fix"])
        for p in batch.problems
    ]


def test_a_bureau_file_imports_with_a_warning_for_each_reference_that_differs(
    textiles, chemicals, zone_user
):
    # given a file with 序号 and 备注, and reference columns: one row as registered, then a wrong
    # name, a wrong zone and a wrong industry
    rows = [
        [1, textiles.uscc, "东城纺织有限公司", "Z001", "17", 2023, 100, None],
        [2, chemicals.uscc, "东城化工有限公司", "Z001", "26", 2023, 200, "名称待核"],
        [3, textiles.uscc, "东城纺织有限公司", "Z002", "17", 2024, 300, None],
        [4, chemicals.uscc, "东城化工股份有限公司", "Z001", "17", 2024, 400, None],
    ]
    # when it is imported under the default policy
    batch = run(workbook(BUREAU_HEADER, rows), zone_user)
    # then every row is written, each difference a warning naming the registered value
    assert batch.state == "committed", batch.problems
    assert found(batch) == [
        (
            "企业年度数据",
            3,
            "企业名称",
            "东城化工有限公司",
            "name_mismatch",
            "企业名称与登记名称「东城化工股份有限公司」不一致",
            NAME_FIX,
        ),
        (
            "企业年度数据",
            4,
            "开发区代码",
            "Z002",
            "zone_mismatch",
            "开发区代码与登记的开发区代码「Z001」不一致",
            ZONE_FIX,
        ),
        (
            "企业年度数据",
            5,
            "行业代码",
            "17",
            "industry_mismatch",
            "行业代码与登记的行业代码「26」不一致",
            INDUSTRY_FIX,
        ),
    ]
    assert {p["severity"] for p in batch.problems} == {"warning"}
    assert (batch.counts["insert"], batch.counts["update"], batch.counts["warnings"]) == (2, 2, 3)
    # and the registry is as it was: reference columns are never stored
    chemicals.refresh_from_db()
    assert (chemicals.name, chemicals.zone.code, chemicals.industry.code) == (
        "东城化工股份有限公司",
        "Z001",
        "26",
    )
    revenue = EnterpriseYear.objects.get(enterprise=chemicals, year=2024).operating_revenue
    assert revenue == 400


def test_a_uscc_of_another_enterprise_is_named_by_its_name_and_industry(
    textiles, chemicals, zone_user
):
    # given a row for 东城纺织 that carries 东城化工's USCC, a valid code of the same zone
    row = [chemicals.uscc, "东城纺织有限公司", "Z001", "17", 2023, 100]
    header = BUREAU_HEADER[1:-1]
    # when it is validated
    batch = create_batch(
        workbook(header, [row]), "年报.xlsx", "enterprise-years", acting_user=zone_user
    )
    validate_batch(batch)
    # then the name and the industry both point at the enterprise the code belongs to
    assert [(p["row"], p["code"], p["message"]) for p in batch.problems] == [
        (2, "name_mismatch", "企业名称与登记名称「东城化工股份有限公司」不一致"),
        (2, "industry_mismatch", "行业代码与登记的行业代码「26」不一致"),
    ]


def test_names_and_codes_compare_without_width_or_spaces(textiles, zone_user):
    # given a registered name with half-width brackets, and a file writing it full-width and
    # spaced, with a full-width zone code
    Enterprise.objects.filter(pk=textiles.pk).update(name="东城纺织(厦门)有限公司")
    rows = [[textiles.uscc, " 东城纺织（厦门）\u3000有限公司", "Ｚ００１", "17", 2023, 1]]
    # when it is imported
    batch = run(workbook(BUREAU_HEADER[1:-1], rows), zone_user)
    # then nothing is said
    assert batch.state == "committed"
    assert batch.problems == []


def test_an_industry_the_registry_lacks_is_named_as_unregistered(textiles, zone_user):
    Enterprise.objects.filter(pk=textiles.pk).update(industry=None)
    rows = [[textiles.uscc, "17", 2023]]
    batch = run(workbook(["统一社会信用代码", "行业代码", "年度"], rows), zone_user)
    assert [(p["code"], p["message"]) for p in batch.problems] == [
        ("industry_mismatch", "企业名录中未登记行业代码")
    ]


def test_the_zone_is_checked_against_the_stored_year_else_the_current_zone(
    province, textiles, zone_user
):
    # given 东城纺织's 2024 row kept in Z002, where the enterprise was that year
    EnterpriseYear.objects.filter(enterprise=textiles, year=2024).update(
        zone=province["zones"]["east_htz"]
    )
    header = ["统一社会信用代码", "开发区代码", "年度"]
    rows = [[textiles.uscc, "Z002", 2024], [textiles.uscc, "Z002", 2023]]
    # when a file places it in Z002 both in 2024 and in 2023, a year with no row yet
    batch = run(workbook(header, rows), zone_user)
    # then only 2023 differs: from the enterprise's current zone
    assert [(p["row"], p["code"], p["message"]) for p in batch.problems] == [
        (3, "zone_mismatch", "开发区代码与登记的开发区代码「Z001」不一致")
    ]


def test_aliases_of_reference_and_ignored_columns(textiles, zone_user):
    # given the headers a statistics bureau writes
    header = [
        "编号",
        "统一社会信用代码",
        "单位名称",
        "所在开发区代码",
        "行业大类代码",
        "年度",
        "说明",
    ]
    rows = [[1, textiles.uscc, "东城纺织公司", "Z001", "17", 2023, "新增"]]
    # when imported
    batch = run(workbook(header, rows), zone_user)
    # then they are matched as their columns
    assert [(p["column"], p["code"]) for p in batch.problems] == [("单位名称", "name_mismatch")]
    assert batch.counts["insert"] == 1


def test_an_unknown_header_is_still_refused_beside_the_ignored_ones(textiles, zone_user):
    header = ["序号", "统一社会信用代码", "年度", "企业地址", "备注"]
    rows = [[1, textiles.uscc, 2023, "东城区1号", None]]
    batch = run(workbook(header, rows), zone_user)
    assert batch.state == "refused"
    assert [(p["column"], p["code"], p["message"]) for p in batch.problems] == [
        ("企业地址", "unknown_header", "无法识别的表头「企业地址」")
    ]


def test_export_carries_the_reference_columns_and_reimports_unchanged(
    province, textiles, zone_user, django_assert_num_queries
):
    # given a year kept in another zone than the enterprise's current one
    EnterpriseYear.objects.filter(enterprise=textiles, year=2024).update(
        zone=province["zones"]["east_htz"]
    )
    queryset = EnterpriseYear.objects.filter(enterprise__zone=province["zones"]["east"])
    # when the yearly rows are exported
    with django_assert_num_queries(1):
        data = to_xlsx(*export_queryset("enterprise-years", queryset))
    # then in one query, and the reference columns stand beside the USCC, the zone that of the year
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:6] == (
        "统一社会信用代码",
        "企业名称",
        "开发区代码",
        "行业代码",
        "年度",
        "规模",
    )
    assert values[1][:5] == (textiles.uscc, "东城纺织有限公司", "Z002", "17", 2024)
    assert "序号" not in values[0]
    # and the file re-imports unchanged, without a word
    batch = run(data, zone_user)
    assert batch.state == "committed"
    assert batch.problems == []
    assert (batch.counts["insert"], batch.counts["update"], batch.counts["unchanged"]) == (0, 0, 4)


def test_a_reference_that_differs_changes_nothing_stored(textiles, zone_user):
    # given an export, then the enterprise renamed in the registry
    queryset = EnterpriseYear.objects.filter(enterprise=textiles)
    data = to_xlsx(*export_queryset("enterprise-years", queryset))
    Enterprise.objects.filter(pk=textiles.pk).update(name="东城纺织集团有限公司")
    # when the old export is imported again
    batch = run(data, zone_user)
    # then each row is warned of and left unchanged
    assert [(p["row"], p["code"]) for p in batch.problems] == [
        (2, "name_mismatch"),
        (3, "name_mismatch"),
    ]
    assert (batch.counts["update"], batch.counts["unchanged"]) == (0, 2)


def test_template_shows_the_reference_columns_and_says_they_are_not_stored(zone_user):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(ENTERPRISE_YEARS, zone_user)))
    header = [c.value for c in book["企业年度数据"][1]]
    assert header[:5] == ["统一社会信用代码", "企业名称", "开发区代码", "行业代码", "年度"]
    assert not {"序号", "备注"} & set(header)
    rows = list(book["填写说明"].iter_rows(values_only=True))
    assert [row[0] for row in rows[6:8]] == [
        "6. 企业名称、开发区代码、行业代码为对照列:导入时与企业名录核对,不一致时给出警告,"
        "不会保存;要修改请先更新企业名录。",
        "7. 序号、备注列可以保留,导入时忽略。",
    ]
    notes = {row[0]: row[2:4] for row in rows}  # column → (required, note)
    assert notes["企业名称"] == (None, "对照列:与企业名录核对,不一致时警告,不保存")
    assert notes["开发区代码"] == (
        None,
        "对照列:与企业名录核对,不一致时警告,不保存(当年所在开发区)",
    )
    assert notes["统一社会信用代码"] == ("是", None)
