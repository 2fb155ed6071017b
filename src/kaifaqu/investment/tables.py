import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kaifaqu.investment.kpi_models import ProjectLight
from kaifaqu.investment.models import Project, TargetClient
from kaifaqu.vocabulary import PROJECT

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ProjectTable(tables.Table):
    code = tables.Column(verbose_name=PROJECT["code"].header, orderable=True)
    name = tables.Column(verbose_name=PROJECT["name"].header, linkify=True, orderable=True)
    zone = tables.Column(verbose_name="开发区")
    investor = tables.Column(verbose_name=PROJECT["investor"].header)
    stage = tables.Column(verbose_name="阶段")
    stage_entered = tables.DateColumn(verbose_name="进入本阶段", format="Y-m-d", orderable=True)
    total_investment = tables.Column(
        verbose_name=PROJECT["total_investment"].header, attrs=NUM, orderable=True, default="—"
    )
    leading_industry = tables.BooleanColumn(
        verbose_name="主导产业", yesno="是,否", exclude_from_export=True
    )
    industry = tables.Column(verbose_name="行业", default="—")
    person_in_charge = tables.Column(verbose_name="负责人", default="—")
    planned_start_date = tables.DateColumn(
        verbose_name=PROJECT["planned_start_date"].header, format="Y-m-d", default="—"
    )
    light = tables.Column(verbose_name="预警灯", default="—")
    light_reasons = tables.Column(
        verbose_name="预警原因", accessor="light__reason_summary", visible=False, default=""
    )
    leading_export = tables.Column(
        verbose_name=PROJECT["leading_industry"].header,
        accessor="leading_industry",
        visible=False,
    )

    class Meta:
        model = Project
        fields = (
            "code", "name", "zone", "investor", "stage", "stage_entered", "total_investment",
            "leading_industry", "industry", "person_in_charge", "planned_start_date", "light",
        )  # fmt: skip
        orderable = False

    def render_person_in_charge(self, value: object) -> str:
        return _person(value)

    def value_person_in_charge(self, value: object) -> str:
        return _person(value)

    def render_light(self, value: ProjectLight) -> SafeString:
        # the reasons are the tag's tooltip on the page and a column of their own in a file
        return format_html(
            '<span class="tag light-{}" title="{}">{}</span>',
            value.light,
            value.reason_summary,
            value.get_light_display(),
        )

    def value_light(self, value: ProjectLight) -> str:
        return str(value.get_light_display())

    def value_leading_export(self, value: bool) -> str:
        return "是" if value else "否"

    def render_leading_export(self, value: bool) -> str:
        return "是" if value else "否"


def _person(user: object) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or getattr(user, "username", "—"))


class ClientTable(tables.Table):
    company = tables.Column(verbose_name="企业名称", linkify=True)
    zone = tables.Column(verbose_name="开发区")
    source = tables.Column(verbose_name="客户来源")
    industry = tables.Column(verbose_name="所属行业", default="—")
    contact_person = tables.Column(verbose_name="联系人")
    contact_phone = tables.Column(verbose_name="联系电话")

    class Meta:
        model = TargetClient
        fields = ("company", "zone", "source", "industry", "contact_person", "contact_phone")
        orderable = False
