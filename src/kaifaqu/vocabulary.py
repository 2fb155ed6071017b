"""The field vocabulary, declared once: each field's Chinese label, its unit and the other names
bureaus' files give it.

Models take their verbose names from here, the intake its columns' headers and default header
aliases, the offline 亩均 evaluation its columns, schemes and the simulator their field names. A
label is the term of the national statistics forms (研发经费支出, 化学需氧量排放量); a spelling
that files also use (R&D经费支出, COD排放量) is an alias, so an older file still imports. Units are
written as header matching spells them canonically (t, 万kWh, 平方米), in characters GBK (CP936)
can encode, so a template saved as a GBK CSV keeps its headers. No Django here: the offline
``kaifaqu mujun evaluate`` reads it without a database.

>>> ENTERPRISE_YEAR["rd_expenditure"].header, ENTERPRISE_YEAR["rd_expenditure"].aliases[0]
('研发经费支出(万元)', 'R&D经费支出')
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    label: str  # the Chinese name, without unit
    unit: str = ""
    aliases: tuple[str, ...] = ()  # other headers for the same field, as files write them

    @property
    def header(self) -> str:
        """The label with its unit, as headers and verbose names show it: 营业收入(万元)."""
        return f"{self.label}({self.unit})" if self.unit else self.label


def money(label: str, *aliases: str) -> Term:
    """An amount in 万元 (files may declare 元 or 亿元 in the header)."""
    return Term(label, "万元", aliases)


YEAR = Term("年度", aliases=("统计年度", "年份"))

ZONE = {
    "code": Term("开发区代码", aliases=("所在开发区代码",)),
    "name": Term("开发区名称", aliases=("名称",)),
    "kind": Term("开发区类型"),
    "region_code": Term("所在区划代码", aliases=("行政区划代码",)),  # the zone's region, in a file
    "comparison_group": Term("比较组", aliases=("排名分组",)),
    "approval_date": Term("批准设立日期"),
    "approved_area_km2": Term("核准面积", "平方公里"),
    "leading_industries": Term("主导产业"),
    "centre_lng": Term("中心点经度", "度"),
    "centre_lat": Term("中心点纬度", "度"),
}

ENTERPRISE = {
    "uscc": Term("统一社会信用代码", aliases=("信用代码", "社会信用代码")),
    "name": Term("企业名称", aliases=("单位名称", "企业名", "纳税人名称")),
    "zone_code": ZONE["code"],  # the enterprise's zone, in a file
    "industry_code": Term("行业代码", aliases=("国民经济行业代码", "行业大类代码")),
    "registration_date": Term("成立日期", aliases=("注册日期", "成立时间")),
    "registered_capital": money("注册资本"),
    "ownership": Term("经济类型"),
    "status": Term("经营状态"),
    "first_above_scale_year": Term("首次入规年度", aliases=("首次升规年份",)),
    "land_completion_date": Term("用地竣工投产日期", aliases=("竣工投产日期",)),
    "merger_date": Term("兼并重组日期"),
    "exempt_military": Term("军工企业"),
    "exempt_utility": Term("公用事业企业"),
    "tags": Term("标签"),
}

# One enterprise's statistics for a year; a zone's yearly summary sums the same figures.
ENTERPRISE_YEAR = {
    "year": YEAR,
    "above_scale": Term("规模", aliases=("是否规上", "规上/规下")),
    "operating_revenue": money("营业收入", "营业收入合计", "销售收入"),
    "main_business_revenue": money("主营业务收入", "主营收入"),
    "industrial_output": money("工业总产值", "总产值"),
    "value_added": money("工业增加值", "增加值"),
    "total_profit": money("利润总额", "利润"),
    "tax_paid": money("实缴税收", "纳税总额", "税收合计", "实缴税金", "实缴税费"),
    "total_assets": money("资产总计", "总资产"),
    "total_liabilities": money("负债合计", "总负债"),
    "land_area_mu": Term("用地面积", "亩", ("占地面积", "土地面积")),
    "leased_floor_area_m2": Term("租用厂房面积", "平方米", ("租赁厂房面积",)),
    "energy_tce": Term("综合能耗", "吨标准煤", ("能耗", "综合能源消费量")),
    "electricity_10k_kwh": Term("用电量", "万kWh", ("用电量(万千瓦时)", "工业用电量")),
    # The sum of the four pollutants below, or the figure a file gives instead of them.
    "emission_t": Term("主要污染物排放量", "t"),
    "cod_t": Term("化学需氧量排放量", "t", ("COD排放量", "COD")),
    "ammonia_nitrogen_t": Term("氨氮排放量", "t", ("氨氮",)),
    "so2_t": Term("二氧化硫排放量", "t", ("SO2排放量", "SO2")),
    "nox_t": Term("氮氧化物排放量", "t", ("NOx排放量", "NOx")),
    "rd_expenditure": money("研发经费支出", "R&D经费支出", "研发投入", "R&D经费"),
    "avg_employees": Term("年平均职工人数", "人", ("从业人员平均人数", "职工人数")),
    "rd_staff": Term("研发人员数", "人", ("研发人员",)),
    "export_value": money("出口额", "出口交货值"),
    "fdi_used": money("实际使用外资", "实际利用外资"),
    "high_tech_revenue": money("高新技术产品收入", "高新技术产品产值"),
}

# A 招商 project (the 招商项目库) and its stage updates, as pages, imports and exports name them;
# aliases only where an import reads the column.
PROJECT = {
    "code": Term("项目编号", aliases=("项目代码",)),
    "name": Term("项目名称", aliases=("项目",)),
    "investor": Term("投资方", aliases=("投资主体", "投资企业")),
    "zone_code": ZONE["code"],
    "leading_industry": Term("主导产业项目", aliases=("是否主导产业",)),
    "industry_code": ENTERPRISE["industry_code"],
    "total_investment": money("总投资", "计划总投资", "项目总投资"),
    "fixed_asset_investment": money("固定资产投资", "固投"),
    "land_mu": Term("用地面积", "亩", ("占地面积", "供地面积")),
    "investment_intensity": Term("投资强度", "万元/亩"),
    "foreign_capital": money("利用外资", "外资金额"),
    "person_in_charge": Term("项目负责人", aliases=("负责人", "专人负责人")),
    "lead_unit": Term("牵头单位", aliases=("责任单位", "牵头责任单位")),
    "planned_sign_date": Term("计划签约日期"),
    "planned_start_date": Term("计划开工日期"),
    "planned_production_date": Term("计划投产日期"),
    "planned_full_production_date": Term("计划达产日期"),
    "statistics_date": Term("入库纳统日期", aliases=("纳统日期",)),
    "package": Term("产业集群项目包", aliases=("项目包",)),
    "ppp": Term("PPP项目", aliases=("是否PPP",)),
    "stage": Term("项目阶段", aliases=("阶段",)),
    "to_stage": Term("变更后阶段", aliases=("新阶段",)),
    "occurred_on": Term("发生日期", aliases=("签约日期", "开工日期", "日期")),
    "contract_amount": money("签约金额", "合同金额"),
    "uscc": ENTERPRISE["uscc"],
    "reference": Term("证明材料编号", aliases=("合同编号", "许可证号")),
    "note": Term("情况说明", aliases=("原因",)),
}

# Columns of a yearly file that are no field: recognised and skipped.
FILE_ONLY = {
    "row_number": Term("序号", aliases=("编号",)),
    "remarks": Term("备注", aliases=("说明",)),
}


def field_term(key: str) -> Term | None:
    """The term of a field by its key, as statistics, profiles and zones name them."""
    for terms in (ENTERPRISE_YEAR, ENTERPRISE, ZONE, FILE_ONLY):
        if key in terms:
            return terms[key]
    return None


def field_header(key: str) -> str:
    """A field's label with its unit (用地面积(亩)); the key itself for a field not declared."""
    term = field_term(key)
    return term.header if term else key


def described_values(values: dict[str, object]) -> str:
    """Field values as a person reads them: 用地面积(亩) 45、实缴税收(万元) 1500."""
    return "、".join(f"{field_header(key)} {_plain(value)}" for key, value in values.items())


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
