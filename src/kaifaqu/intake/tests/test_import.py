"""Import end to end: preview, policies, idempotence, undo, scope, change log, export, CLI."""

import io
from decimal import Decimal

import openpyxl
import pytest
import xlsxwriter
from django.core.management import call_command

from kaifaqu.audit.models import DomainEvent, ObjectChange
from kaifaqu.enterprises.models import Enterprise, EnterpriseYear
from kaifaqu.intake.actions import (
    UndoRefused,
    commit_batch,
    create_batch,
    undo_batch,
    validate_batch,
)
from kaifaqu.intake.columns import ENTERPRISES
from kaifaqu.intake.exports import export_queryset
from kaifaqu.intake.template import template_workbook
from kaifaqu.spreadsheets.writing import to_csv, to_xlsx

pytestmark = pytest.mark.django_db


def workbook(header, rows, sheet="企业年度数据"):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    ws.write_row(0, 0, header)
    for index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str):
                ws.write_string(index, col, value)
            elif value is not None:
                ws.write(index, col, value)
    book.close()
    return buffer.getvalue()


def years_file(usccs, tax_east="1500000"):
    header = ["统一社会信用代码", "年度", "规模", "营业收入(万元)", "纳税总额(元)", "用地面积(亩)"]
    return workbook(
        header,
        [
            [usccs["东城纺织有限公司"], 2023, "规上", 900.5, tax_east, 40],
            [usccs["东城化工股份有限公司"], 2023, "规下", 120, "30000", None],
        ],
    )


def run(data, user, kind="enterprise-years", policy="reject", name="年报.xlsx"):
    batch = create_batch(data, name, kind, acting_user=user, policy=policy)
    return commit_batch(batch, acting_user=user)


def test_preview_writes_nothing_and_counts_what_would_change(usccs, zone_user):
    batch = create_batch(years_file(usccs), "年报.xlsx", "enterprise-years", acting_user=zone_user)
    validate_batch(batch)
    assert batch.state == "validated"
    assert batch.counts == {
        "rows": 2,
        "valid_rows": 2,
        "invalid_rows": 0,
        "errors": 0,
        "warnings": 0,
        "insert": 2,
        "update": 0,
        "unchanged": 0,
    }
    assert not EnterpriseYear.objects.filter(year=2023).exists()
    assert not ObjectChange.objects.exists()


def test_commit_converts_units_and_logs_each_row_under_one_request_id(province, usccs, zone_user):
    batch = run(years_file(usccs), zone_user)

    assert batch.state == "committed"
    row = EnterpriseYear.objects.get(enterprise__uscc=usccs["东城纺织有限公司"], year=2023)
    assert (row.above_scale, row.operating_revenue, row.tax_paid, row.land_area_mu) == (
        True,
        Decimal("900.5000"),
        Decimal("150.0000"),
        Decimal("40.0000"),
    )
    assert row.zone == province["zones"]["east"]
    assert row.province_code == "990000"
    other = EnterpriseYear.objects.get(enterprise__uscc=usccs["东城化工股份有限公司"], year=2023)
    assert (other.tax_paid, other.land_area_mu) == (Decimal("3.0000"), None)
    changes = ObjectChange.objects.filter(request_id=batch.request_id)
    assert changes.count() == 2
    assert {c.action for c in changes} == {"create"}
    assert DomainEvent.objects.get().payload == {
        "batch": batch.pk,
        "insert": 2,
        "update": 0,
        "unchanged": 0,
    }


def test_same_file_twice_changes_nothing_and_says_so(usccs, zone_user):
    run(years_file(usccs), zone_user)
    logged = ObjectChange.objects.count()

    again = run(years_file(usccs), zone_user)

    assert (again.counts["insert"], again.counts["update"], again.counts["unchanged"]) == (0, 0, 2)
    assert ObjectChange.objects.count() == logged


def test_update_is_logged_with_before_and_after_and_undo_restores(usccs, zone_user):
    run(years_file(usccs), zone_user)
    second = run(years_file(usccs, tax_east="2000000"), zone_user)
    change = ObjectChange.objects.get(request_id=second.request_id)
    assert (change.before["tax_paid"], change.after["tax_paid"]) == ("150", "200")

    undo_batch(second, acting_user=zone_user)

    row = EnterpriseYear.objects.get(enterprise__uscc=usccs["东城纺织有限公司"], year=2023)
    assert row.tax_paid == Decimal("150.0000")
    assert second.state == "undone"


def test_undo_of_an_insert_deletes_the_rows(usccs, zone_user):
    batch = run(years_file(usccs), zone_user)
    undo_batch(batch, acting_user=zone_user)
    assert not EnterpriseYear.objects.filter(year=2023).exists()


def test_undo_is_refused_when_a_later_import_changed_the_rows(usccs, zone_user):
    first = run(years_file(usccs), zone_user)
    run(years_file(usccs, tax_east="2000000"), zone_user)
    with pytest.raises(UndoRefused) as refused:
        undo_batch(first, acting_user=zone_user)
    assert str(refused.value) == "有1个对象在本次导入之后又被修改过,不能撤销;请先撤销之后的修改"
    assert EnterpriseYear.objects.filter(year=2023).count() == 2


def test_reject_policy_writes_nothing_and_reports_every_problem(usccs, zone_user):
    header = ["统一社会信用代码", "年度", "营业收入(万元)", "用地面积(亩)"]
    data = workbook(
        header,
        [
            [usccs["东城纺织有限公司"], 2023, "九百", 40],
            [usccs["东城化工股份有限公司"], 2023, 120, -5],
            [usccs["东城纺织有限公司"], 2024, 100, 40],
        ],
    )
    batch = run(data, zone_user)

    assert batch.state == "refused"
    assert [
        (p["row"], p["column"], p["value"], p["code"], p["message"], p["fix"])
        for p in batch.problems
    ] == [
        (
            2,
            "营业收入(万元)",
            "九百",
            "not_a_number",
            "「营业收入」应为数字(单位:万元)",
            "只填数字,不要带单位或文字",
        ),
        (3, "用地面积(亩)", "-5", "out_of_range", "「用地面积」不能为负数", "核对数值和单位"),
    ]
    assert not EnterpriseYear.objects.filter(year=2023).exists()
    assert (
        not EnterpriseYear.objects.filter(year=2024, tax_paid=None, land_area_mu=40)
        .exclude(operating_revenue=Decimal("1000.5") * 2)
        .exists()
    )
    assert not ObjectChange.objects.exists()


@pytest.mark.parametrize("name", ["年报.xlsx", "年报.csv"])
def test_figures_the_wrong_way_round_are_warned_about_and_written(usccs, zone_user, name):
    """The xlsx is plain (read into typed columns), the CSV cell by cell: the same warnings.
    主营业务收入 exceeds 营业收入 by less than the 12 places the checks compare."""
    header = ["统一社会信用代码", "年度", "营业收入(万元)", "主营业务收入(万元)"]
    header += ["工业总产值(万元)", "工业增加值(万元)"]
    rows = [
        [usccs["东城纺织有限公司"], 2023, 100, 100.0000000000001, 50, 50],
        [usccs["东城化工股份有限公司"], 2023, 100, 90, 50, 60.5],
    ]
    if name.endswith(".csv"):
        data = "".join(",".join(map(str, row)) + "\n" for row in [header, *rows]).encode()
    else:
        data = workbook(header, rows)
    batch = run(data, zone_user, name=name)

    assert batch.state == "committed"
    assert [
        (p["row"], p["column"], p["value"], p["message"], p["severity"]) for p in batch.problems
    ] == [
        (2, "主营业务收入(万元)", "100.0000000000001", "主营业务收入大于营业收入", "warning"),
        (3, "工业增加值(万元)", "60.5", "工业增加值大于工业总产值", "warning"),
    ]
    assert EnterpriseYear.objects.filter(year=2023).count() == 2


def test_keep_valid_policy_writes_the_good_rows_only(usccs, zone_user):
    header = ["统一社会信用代码", "年度", "营业收入(万元)"]
    data = workbook(
        header,
        [[usccs["东城纺织有限公司"], 2023, "九百"], [usccs["东城化工股份有限公司"], 2023, 120]],
    )
    batch = run(data, zone_user, policy="keep-valid")
    assert batch.state == "committed"
    assert list(
        EnterpriseYear.objects.filter(year=2023).values_list("enterprise__name", flat=True)
    ) == ["东城化工股份有限公司"]


def test_zone_user_cannot_import_into_another_zone(usccs, zone_user):
    header = ["统一社会信用代码", "年度", "营业收入(万元)"]
    west = usccs["西城化工有限公司"]
    batch = run(workbook(header, [[west, 2023, 1]]), zone_user, policy="keep-valid")
    assert [(p["code"], p["message"]) for p in batch.problems] == [
        ("unknown_reference", f"企业「{west}」不在您的数据范围内(或尚未登记)")
    ]
    assert not EnterpriseYear.objects.filter(year=2023).exists()


def test_unknown_header_suggests_the_closest_and_missing_required_is_named(usccs, zone_user):
    data = workbook(["统一社会信用代码", "营业收人(万元)"], [[usccs["东城纺织有限公司"], 1]])
    batch = run(data, zone_user)
    assert [(p["code"], p["message"], p["fix"]) for p in batch.problems] == [
        ("unknown_header", "无法识别的表头「营业收人(万元)」", "是否应为「营业收入」?"),
        ("missing_column", "缺少必填列「年度」", "按模板补上这一列"),
    ]


def test_uscc_stored_as_a_number_is_named_as_corrupted(zone_user):
    data = workbook(["统一社会信用代码", "年度"], [[913501001234567000, 2023]])
    batch = run(data, zone_user)
    assert [(p["row"], p["code"]) for p in batch.problems] == [(2, "numeric_identifier")]


def test_gbk_csv_imports(usccs, zone_user):
    text = f'统一社会信用代码,年度,营业收入(万元)\n{usccs["东城纺织有限公司"]},2023,"1,234.5"\n'
    batch = run(text.encode("gbk"), zone_user, name="年报.csv")
    assert batch.state == "committed"
    row = EnterpriseYear.objects.get(year=2023)
    assert row.operating_revenue == Decimal("1234.5000")


def test_export_reimports_unchanged_and_neutralises_formulas(province, zone_user):
    enterprise = province["enterprises"]["东城纺织有限公司"]
    Enterprise.objects.filter(pk=enterprise.pk).update(name='=HYPERLINK("x")纺织')
    spec, rows = export_queryset("enterprises", Enterprise.objects.restrict(zone_user))
    data = to_xlsx(spec, rows)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")纺织' in names

    batch = run(data, zone_user, kind="enterprises", name="企业名录.xlsx")

    assert batch.state == "committed", batch.problems
    assert (batch.counts["insert"], batch.counts["update"]) == (0, 0)
    assert batch.counts["unchanged"] == 2


def test_csv_export_has_a_bom_and_keeps_numbers_plain(province, zone_user):
    spec, rows = export_queryset("enterprise-years", EnterpriseYear.objects.restrict(zone_user))
    text = "".join(to_csv(spec, rows))
    assert text.startswith(
        "\ufeff统一社会信用代码,企业名称,开发区代码,行业代码,年度,规模,营业收入(万元)"
    )
    assert ",规上,2001," in text


def test_template_has_units_drop_downs_and_instructions(zone_user):
    book = openpyxl.load_workbook(io.BytesIO(template_workbook(ENTERPRISES, zone_user)))
    assert book.sheetnames == ["企业名录", "代码表", "填写说明"]
    header = [c.value for c in book["企业名录"][1]]
    assert header[:3] == ["统一社会信用代码", "企业名称", "开发区代码"]
    assert "注册资本(万元)" in header
    lists = [v.formula1 for v in book["企业名录"].data_validations.dataValidation]
    assert '"内资,港澳台,外资"' in lists
    assert book["代码表"]["A1"].value == "Z001"


def test_cli_exit_codes(tmp_path, usccs, zone_user, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(years_file(usccs))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(["统一社会信用代码", "年度"], [["91350100M000100Y44", 2023]]))

    call_command("import", str(good), kind="enterprise-years", as_user="east_staff")
    assert "已导入" in capsys.readouterr().out
    with pytest.raises(SystemExit) as refused:
        call_command(
            "import",
            str(bad),
            kind="enterprise-years",
            as_user="east_staff",
            report=str(tmp_path / "report.xlsx"),
        )
    assert refused.value.code == 1
    report = openpyxl.load_workbook(tmp_path / "report.xlsx")["问题清单"]
    assert report["F2"].value == "统一社会信用代码校验位错误:末位应为 3,实为 4"


def test_cli_names_a_file_it_cannot_read_and_writes_nothing(tmp_path, zone_user):
    from django.core.management.base import CommandError

    from kaifaqu.intake.models import ImportBatch

    with pytest.raises(CommandError) as refused:
        call_command("import", str(tmp_path / "没有.xlsx"), kind="enterprise-years")
    assert str(refused.value) == f"无法读取文件 {tmp_path / '没有.xlsx'}:No such file or directory"
    assert refused.value.returncode == 2
    assert not ImportBatch.objects.exists()


def test_zone_years_round_trip_through_the_wide_layout(province, zone_user):
    from kaifaqu.catalog.models import Indicator
    from kaifaqu.intake.exports import zone_year_rows
    from kaifaqu.intake.importers import ZoneYearsImporter
    from kaifaqu.zones.models import ZoneYear

    zone = province["zones"]["east"]
    for code, value in (("gdp", "120.5"), ("tax_per_mu", "24.097")):
        ZoneYear.objects.create(
            zone=zone, year=2025, indicator=Indicator.objects.get(code=code), value=Decimal(value)
        )
    spec = ZoneYearsImporter(zone_user).spec()
    data = to_xlsx(spec, zone_year_rows(spec, ZoneYear.objects.restrict(zone_user)))

    batch = run(data, zone_user, kind="zone-years", name="指标.xlsx")

    assert batch.state == "committed", batch.problems
    assert (batch.counts["insert"], batch.counts["unchanged"]) == (0, 2)


def test_zone_centres_are_optional_and_bounded_in_degrees(province):
    # given a province manager's zone file: one zone without a centre, one with a latitude of 95°
    from conftest import make_user
    from kaifaqu.zones.models import Zone

    manager = make_user("manager", "province_manager", region=province["province"])
    header = [
        "开发区代码",
        "开发区名称",
        "开发区类型",
        "所在区划代码",
        "中心点经度(度)",
        "中心点纬度(度)",
    ]
    rows = [
        ["Z101", "东城新区", "省级经济开发区", "990102", None, None],
        ["Z102", "东城北区", "省级经济开发区", "990102", 120.5, 95],
    ]
    # when imported under the default policy
    batch = run(workbook(header, rows, sheet="开发区名录"), manager, kind="zones")
    # then only the latitude out of range is a problem (row and column), and nothing is written
    assert batch.state == "refused"
    assert [(p["row"], p["column"], p["value"], p["code"]) for p in batch.problems] == [
        (3, "中心点纬度(度)", "95", "out_of_range")
    ]
    assert not Zone.objects.filter(code__in=["Z101", "Z102"]).exists()
    # and with the latitude corrected both zones are created, the first without a centre
    rows[1][5] = 31.5
    batch = run(workbook(header, rows, sheet="开发区名录"), manager, kind="zones")
    assert batch.state == "committed", batch.problems
    centres = dict(Zone.objects.filter(code__in=["Z101", "Z102"]).values_list("code", "centre_lat"))
    assert centres == {"Z101": None, "Z102": 31.5}


def test_a_file_without_the_tags_column_keeps_the_stored_tags(province, usccs, zone_user):
    # given a tagged enterprise of the zone
    from kaifaqu.catalog.models import Tag

    enterprise = Enterprise.objects.get(uscc=usccs["东城纺织有限公司"])
    enterprise.tags.set([Tag.objects.get(name="重点排污单位")])
    # when a file without a 标签 column renames it
    header = ["统一社会信用代码", "企业名称", "开发区代码"]
    data = workbook(header, [[enterprise.uscc, "东城纺织集团有限公司", "Z001"]], sheet="企业名录")
    batch = run(data, zone_user, kind="enterprises")
    # then the name changes and the tags stay, in the row and in the change log
    assert batch.state == "committed", batch.problems
    assert batch.counts["update"] == 1
    enterprise.refresh_from_db()
    assert enterprise.name == "东城纺织集团有限公司"
    assert list(enterprise.tags.values_list("name", flat=True)) == ["重点排污单位"]
    change = ObjectChange.objects.get(object_id=str(enterprise.pk))
    assert change.before["tags"] == change.after["tags"] != []
    # and with a 标签 column left empty, the file clears them, as it says
    header = [*header, "标签"]
    data = workbook(
        header, [[enterprise.uscc, "东城纺织集团有限公司", "Z001", None]], sheet="企业名录"
    )
    assert run(data, zone_user, kind="enterprises").state == "committed"
    assert not enterprise.tags.exists()
