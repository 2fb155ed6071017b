"""What each import kind's spreadsheet holds: columns, their types and bounds; their headers,
units and default aliases come from the vocabulary (``kaifaqu.vocabulary``).

One declaration serves the template, the header matching, the validation and the export, so a
file exported from a list re-imports unchanged.
"""

from decimal import Decimal

from kaifaqu.enterprises.choices import EnterpriseStatus, Ownership
from kaifaqu.intake.choices import ImportKind
from kaifaqu.investment.choices import Stage
from kaifaqu.spreadsheets.columns import (
    IGNORED,
    REFERENCE,
    ZERO,
    KindSpec,
    column,
    money_column,
    quantity_column,
)
from kaifaqu.vocabulary import ENTERPRISE, ENTERPRISE_YEAR, FILE_ONLY, PROJECT, YEAR, ZONE
from kaifaqu.zones.choices import ZoneKind

YES_NO = (("true", "是"), ("false", "否"))

ZONES = KindSpec(
    ImportKind.ZONES,
    "开发区名录",
    (
        column("code", ZONE["code"], "code", required=True),
        column("name", ZONE["name"], "text", required=True),
        column("kind", ZONE["kind"], "choice", required=True, choices=tuple(ZoneKind.choices)),
        column("region", ZONE["region_code"], "ref", required=True, note="6位GB/T 2260代码"),
        column("comparison_group", ZONE["comparison_group"], "text"),
        column("approval_date", ZONE["approval_date"], "date"),
        column("approved_area_km2", ZONE["approved_area_km2"], "decimal", minimum=ZERO),
        column(
            "leading_industries",
            ZONE["leading_industries"],
            "list",
            note="行业大类代码,以顿号或逗号分隔",
        ),
        column(
            "centre_lng", ZONE["centre_lng"], "decimal", minimum=Decimal(-180), maximum=Decimal(180)
        ),
        column(
            "centre_lat", ZONE["centre_lat"], "decimal", minimum=Decimal(-90), maximum=Decimal(90)
        ),
    ),
    key=("code",),
)

ENTERPRISES = KindSpec(
    ImportKind.ENTERPRISES,
    "企业名录",
    (
        column("uscc", ENTERPRISE["uscc"], "uscc", required=True),
        column("name", ENTERPRISE["name"], "text", required=True),
        column("zone", ENTERPRISE["zone_code"], "ref", required=True),
        column("industry", ENTERPRISE["industry_code"], "ref", note="GB/T 4754-2017 两位大类代码"),
        column("registration_date", ENTERPRISE["registration_date"], "date"),
        money_column("registered_capital", ENTERPRISE["registered_capital"]),
        column("ownership", ENTERPRISE["ownership"], "choice", choices=tuple(Ownership.choices)),
        column("status", ENTERPRISE["status"], "choice", choices=tuple(EnterpriseStatus.choices)),
        column("first_above_scale_year", ENTERPRISE["first_above_scale_year"], "year"),
        column("land_completion_date", ENTERPRISE["land_completion_date"], "date"),
        column("merger_date", ENTERPRISE["merger_date"], "date"),
        column("exempt_military", ENTERPRISE["exempt_military"], "bool", choices=YES_NO),
        column("exempt_utility", ENTERPRISE["exempt_utility"], "bool", choices=YES_NO),
        column("tags", ENTERPRISE["tags"], "list", note="标签库中的标签,以顿号或逗号分隔"),
    ),
    key=("uscc",),
)

REFERENCE_NOTE = "对照列:与企业名录核对,不一致时警告,不保存"

ENTERPRISE_YEARS = KindSpec(
    ImportKind.ENTERPRISE_YEARS,
    "企业年度数据",
    (
        column("uscc", ENTERPRISE["uscc"], "uscc", required=True),
        # Keyed as the enterprises kind's columns, so the alias table reads the same in both.
        column("name", ENTERPRISE["name"], "text", use=REFERENCE, note=REFERENCE_NOTE),
        column(
            "zone",
            ENTERPRISE["zone_code"],
            "ref",
            use=REFERENCE,
            note=REFERENCE_NOTE + "(当年所在开发区)",
        ),
        column("industry", ENTERPRISE["industry_code"], "ref", use=REFERENCE, note=REFERENCE_NOTE),
        column("year", ENTERPRISE_YEAR["year"], "year", required=True),
        column(
            "above_scale",
            ENTERPRISE_YEAR["above_scale"],
            "bool",
            choices=(("true", "规上"), ("false", "规下")),
        ),
        money_column("operating_revenue", ENTERPRISE_YEAR["operating_revenue"]),
        money_column("main_business_revenue", ENTERPRISE_YEAR["main_business_revenue"]),
        money_column("industrial_output", ENTERPRISE_YEAR["industrial_output"]),
        money_column("value_added", ENTERPRISE_YEAR["value_added"], signed=True),
        money_column("total_profit", ENTERPRISE_YEAR["total_profit"], signed=True),
        money_column("tax_paid", ENTERPRISE_YEAR["tax_paid"]),
        money_column("total_assets", ENTERPRISE_YEAR["total_assets"]),
        money_column("total_liabilities", ENTERPRISE_YEAR["total_liabilities"]),
        quantity_column("land_area_mu", ENTERPRISE_YEAR["land_area_mu"]),
        quantity_column("leased_floor_area_m2", ENTERPRISE_YEAR["leased_floor_area_m2"]),
        quantity_column("energy_tce", ENTERPRISE_YEAR["energy_tce"]),
        quantity_column("electricity_10k_kwh", ENTERPRISE_YEAR["electricity_10k_kwh"]),
        quantity_column("cod_t", ENTERPRISE_YEAR["cod_t"]),
        quantity_column("ammonia_nitrogen_t", ENTERPRISE_YEAR["ammonia_nitrogen_t"]),
        quantity_column("so2_t", ENTERPRISE_YEAR["so2_t"]),
        quantity_column("nox_t", ENTERPRISE_YEAR["nox_t"]),
        money_column("rd_expenditure", ENTERPRISE_YEAR["rd_expenditure"]),
        column("avg_employees", ENTERPRISE_YEAR["avg_employees"], "integer", minimum=ZERO),
        column("rd_staff", ENTERPRISE_YEAR["rd_staff"], "integer", minimum=ZERO),
        money_column("export_value", ENTERPRISE_YEAR["export_value"]),
        money_column("fdi_used", ENTERPRISE_YEAR["fdi_used"]),
        money_column("high_tech_revenue", ENTERPRISE_YEAR["high_tech_revenue"]),
        column("row_number", FILE_ONLY["row_number"], "text", use=IGNORED),
        column("remarks", FILE_ONLY["remarks"], "text", use=IGNORED),
    ),
    key=("uscc", "year"),
)

ZONE_YEARS_FIXED = (
    column("zone", ZONE["code"], "ref", required=True),
    column("year", YEAR, "year", required=True),
)

INVESTMENT_PROJECTS = KindSpec(
    ImportKind.INVESTMENT_PROJECTS,
    "招商项目",
    (
        column("code", PROJECT["code"], "code", required=True, note="项目的唯一编号"),
        column("name", PROJECT["name"], "text", required=True),
        column("zone", PROJECT["zone_code"], "ref", required=True),
        column("investor", PROJECT["investor"], "text"),
        column("leading_industry", PROJECT["leading_industry"], "bool", choices=YES_NO),
        column("industry", PROJECT["industry_code"], "ref", note="GB/T 4754-2017 两位大类代码"),
        money_column("total_investment", PROJECT["total_investment"]),
        money_column("fixed_asset_investment", PROJECT["fixed_asset_investment"]),
        quantity_column("land_mu", PROJECT["land_mu"]),
        money_column("foreign_capital", PROJECT["foreign_capital"]),
        column("planned_sign_date", PROJECT["planned_sign_date"], "date"),
        column("planned_start_date", PROJECT["planned_start_date"], "date"),
        column("planned_production_date", PROJECT["planned_production_date"], "date"),
        column("planned_full_production_date", PROJECT["planned_full_production_date"], "date"),
        column("statistics_date", PROJECT["statistics_date"], "date"),
        column("ppp", PROJECT["ppp"], "bool", choices=YES_NO),
        column("person_in_charge", PROJECT["person_in_charge"], "text",
               note="本开发区工作人员的用户名或姓名(重名时填用户名)"),
        column("lead_unit", PROJECT["lead_unit"], "text", note="单位名称或其别名"),
        column("package", PROJECT["package"], "text", note="项目所在开发区已建立的项目包名称"),
        column("stage", PROJECT["stage"], "choice", choices=tuple(Stage.choices),
               note="只作核对:新项目为线索,已有项目为其当前阶段"),
    ),
    key=("code",),
    notes=(
        "新项目以「线索」阶段登记;阶段的推进请用「招商项目阶段更新」导入或在项目页面办理。",
        "项目阶段列只作核对,不改变阶段。",
    ),
)  # fmt: skip

INVESTMENT_STAGES = KindSpec(
    ImportKind.INVESTMENT_STAGES,
    "招商项目阶段更新",
    (
        column("project", PROJECT["code"], "code", required=True),
        column("to_stage", PROJECT["to_stage"], "choice", required=True,
               choices=tuple(Stage.choices)),
        column("occurred_on", PROJECT["occurred_on"], "date", required=True),
        money_column("contract_amount", PROJECT["contract_amount"]),
        column("uscc", PROJECT["uscc"], "uscc", note="注册时填写,须已在企业名录中登记"),
        column(
            "reference", PROJECT["reference"], "text",
            note="签约填合同编号,开工填施工许可证号,投产填试生产证明",
        ),
        column("note", PROJECT["note"], "text", note="暂缓、终止时填写原因"),
    ),
    key=("project", "to_stage", "occurred_on"),
    notes=(
        "每行一次阶段变更,按行序办理;同一项目的多行须依次推进(线索→储备→洽谈→签约→注册→开工→投产→达产/运营)。",
        "恢复推进:阶段填写暂缓前的阶段。撤销本次导入时,每条变更记一条「撤销」记录。",
    ),
)  # fmt: skip

SPECS = {
    spec.kind: spec
    for spec in (ZONES, ENTERPRISES, ENTERPRISE_YEARS, INVESTMENT_PROJECTS, INVESTMENT_STAGES)
}
