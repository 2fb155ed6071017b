"""What each import kind's spreadsheet holds: columns, their Chinese headers, units and types.

One declaration serves the template, the header matching, the validation and the export, so a
file exported from a list re-imports unchanged.
"""

from decimal import Decimal

from kaifaqu.enterprises.choices import EnterpriseStatus, Ownership
from kaifaqu.intake.choices import ImportKind
from kaifaqu.spreadsheets.columns import (
    IGNORED,
    REFERENCE,
    ZERO,
    Column,
    KindSpec,
    money_column,
    quantity_column,
)
from kaifaqu.zones.choices import ZoneKind

YES_NO = (("true", "是"), ("false", "否"))

ZONES = KindSpec(
    ImportKind.ZONES,
    "开发区名录",
    (
        Column("code", "开发区代码", "code", required=True),
        Column("name", "开发区名称", "text", required=True),
        Column("kind", "开发区类型", "choice", required=True, choices=tuple(ZoneKind.choices)),
        Column(
            "region",
            "所在区划代码",
            "ref",
            required=True,
            note="6位GB/T 2260代码",
        ),
        Column("comparison_group", "比较组", "text"),
        Column("approval_date", "批准设立日期", "date"),
        Column("approved_area_km2", "核准面积", "decimal", "平方公里", minimum=ZERO),
        Column("leading_industries", "主导产业", "list", note="行业大类代码,以顿号或逗号分隔"),
        Column(
            "centre_lng", "中心点经度", "decimal", "度", minimum=Decimal(-180), maximum=Decimal(180)
        ),
        Column(
            "centre_lat", "中心点纬度", "decimal", "度", minimum=Decimal(-90), maximum=Decimal(90)
        ),
    ),
    key=("code",),
)

ENTERPRISES = KindSpec(
    ImportKind.ENTERPRISES,
    "企业名录",
    (
        Column("uscc", "统一社会信用代码", "uscc", required=True),
        Column("name", "企业名称", "text", required=True),
        Column("zone", "开发区代码", "ref", required=True),
        Column(
            "industry",
            "行业代码",
            "ref",
            note="GB/T 4754-2017 两位大类代码",
        ),
        Column("registration_date", "成立日期", "date"),
        money_column("registered_capital", "注册资本"),
        Column("ownership", "经济类型", "choice", choices=tuple(Ownership.choices)),
        Column("status", "经营状态", "choice", choices=tuple(EnterpriseStatus.choices)),
        Column("first_above_scale_year", "首次入规年度", "year"),
        Column("land_completion_date", "用地竣工投产日期", "date"),
        Column("merger_date", "兼并重组日期", "date"),
        Column("exempt_military", "军工企业", "bool", choices=YES_NO),
        Column("exempt_utility", "公用事业企业", "bool", choices=YES_NO),
        Column("tags", "标签", "list", note="标签库中的标签,以顿号或逗号分隔"),
    ),
    key=("uscc",),
)

REFERENCE_NOTE = "对照列:与企业名录核对,不一致时警告,不保存"

ENTERPRISE_YEARS = KindSpec(
    ImportKind.ENTERPRISE_YEARS,
    "企业年度数据",
    (
        Column("uscc", "统一社会信用代码", "uscc", required=True),
        # Keyed as the enterprises kind's columns, so the alias table reads the same in both.
        Column("name", "企业名称", "text", use=REFERENCE, note=REFERENCE_NOTE),
        Column(
            "zone", "开发区代码", "ref", use=REFERENCE, note=REFERENCE_NOTE + "(当年所在开发区)"
        ),
        Column("industry", "行业代码", "ref", use=REFERENCE, note=REFERENCE_NOTE),
        Column("year", "年度", "year", required=True),
        Column(
            "above_scale",
            "规模",
            "bool",
            choices=(("true", "规上"), ("false", "规下")),
        ),
        money_column("operating_revenue", "营业收入"),
        money_column("main_business_revenue", "主营业务收入"),
        money_column("industrial_output", "工业总产值"),
        money_column("value_added", "工业增加值", signed=True),
        money_column("total_profit", "利润总额", signed=True),
        money_column("tax_paid", "实缴税收"),
        money_column("total_assets", "资产总计"),
        money_column("total_liabilities", "负债合计"),
        quantity_column("land_area_mu", "用地面积", "亩"),
        quantity_column("leased_floor_area_m2", "租用厂房面积", "m²"),
        quantity_column("energy_tce", "综合能耗", "吨标准煤"),
        quantity_column("electricity_10k_kwh", "用电量", "万kWh"),
        quantity_column("cod_t", "化学需氧量排放量", "t"),
        quantity_column("ammonia_nitrogen_t", "氨氮排放量", "t"),
        quantity_column("so2_t", "二氧化硫排放量", "t"),
        quantity_column("nox_t", "氮氧化物排放量", "t"),
        money_column("rd_expenditure", "R&D经费支出"),
        Column(
            "avg_employees",
            "年平均职工人数",
            "integer",
            "人",
            minimum=ZERO,
        ),
        Column("rd_staff", "研发人员数", "integer", "人", minimum=ZERO),
        money_column("export_value", "出口额"),
        money_column("fdi_used", "实际使用外资"),
        money_column("high_tech_revenue", "高新技术产品收入"),
        Column("row_number", "序号", "text", use=IGNORED),
        Column("remarks", "备注", "text", use=IGNORED),
    ),
    key=("uscc", "year"),
)

ZONE_YEARS_FIXED = (
    Column("zone", "开发区代码", "ref", required=True),
    Column("year", "年度", "year", required=True),
)

SPECS = {spec.kind: spec for spec in (ZONES, ENTERPRISES, ENTERPRISE_YEARS)}
