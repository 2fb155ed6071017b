"""The 招商 pipeline: the target-client pool (招商目标客户资源库), projects from 线索 to 达产/运营
(储备项目库 and 招商项目库 are stages of the same table), their yearly plans, visits, fund
arrivals and the append-only stage history, and the per-stage settings (data).

Every row lies in a zone (``scope_zone_path``): zone staff see their zone's, city and province
staff their region's. A blocked project's problems are supervised items of kind ``ZS`` whose
subject is the project (``supervision.SupervisedItem.subject_type`` / ``subject_id``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.catalog.models import Industry
from kaifaqu.investment.choices import ChangeKind, ClientSource, Stage
from kaifaqu.units.models import Unit
from kaifaqu.vocabulary import PROJECT
from kaifaqu.zones.models import Zone

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


def _money(label: str, **kwargs: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(
        label, max_digits=16, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )


def _optional_money(label: str) -> models.DecimalField[Any, Any]:
    return _money(label, null=True, blank=True)


class TargetClient(RegionalModel):
    """招商目标客户: a company a zone courts, before (or beside) any project."""

    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="target_clients"
    )
    company = models.CharField("企业名称", max_length=200)
    source = models.CharField("客户来源", max_length=16, choices=ClientSource.choices)
    industry = models.ForeignKey(
        Industry,
        verbose_name="所属行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="GB/T 4754 国民经济行业代码",
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=40, blank=True)
    note = models.TextField("备注", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("登记时间", auto_now_add=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "招商目标客户"
        verbose_name_plural = "招商目标客户"
        ordering = ["zone", "company", "pk"]

    def __str__(self) -> str:
        return self.company

    def get_absolute_url(self) -> str:
        return reverse("investment:client", args=[self.pk])


class ProjectPackage(RegionalModel):
    """产业集群项目包: a named package of a zone's projects for a year (METHODS §6: ≥ 3)."""

    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="project_packages"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("项目包名称", max_length=100)
    description = models.TextField("说明", blank=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "产业集群项目包"
        verbose_name_plural = "产业集群项目包"
        ordering = ["zone", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "name"], name="projectpackage_unique_zone_year_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"


class Project(RegionalModel):
    """A 招商 project, from 线索 to 达产/运营; its stage changes only through the actions, each
    appending a ``StageChange``."""

    code = models.CharField(PROJECT["code"].header, max_length=40, unique=True)
    name = models.CharField(PROJECT["name"].header, max_length=200)
    investor = models.CharField(PROJECT["investor"].header, max_length=200, blank=True)
    client = models.ForeignKey(
        TargetClient,
        verbose_name="来源客户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="projects"
    )
    leading_industry = models.BooleanField(PROJECT["leading_industry"].header, default=False)
    industry = models.ForeignKey(
        Industry,
        verbose_name="所属行业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="GB/T 4754 国民经济行业代码",
    )
    total_investment = _optional_money(PROJECT["total_investment"].header)
    fixed_asset_investment = _optional_money(PROJECT["fixed_asset_investment"].header)
    land_mu = models.DecimalField(
        PROJECT["land_mu"].header,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )
    foreign_capital = _optional_money(PROJECT["foreign_capital"].header)
    person_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=PROJECT["person_in_charge"].header,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investment_projects",
        help_text="专人负责制:从签约到运营全程负责的人",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=PROJECT["lead_unit"].header,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
    )
    planned_sign_date = models.DateField(PROJECT["planned_sign_date"].header, null=True, blank=True)
    planned_start_date = models.DateField(
        PROJECT["planned_start_date"].header, null=True, blank=True
    )
    planned_production_date = models.DateField(
        PROJECT["planned_production_date"].header, null=True, blank=True
    )
    planned_full_production_date = models.DateField(
        PROJECT["planned_full_production_date"].header, null=True, blank=True
    )
    statistics_date = models.DateField(PROJECT["statistics_date"].header, null=True, blank=True)
    package = models.ForeignKey(
        ProjectPackage,
        verbose_name=PROJECT["package"].header,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    ppp = models.BooleanField(PROJECT["ppp"].header, default=False)
    stage = models.CharField(
        PROJECT["stage"].header,
        max_length=12,
        choices=Stage.choices,
        default=Stage.LEAD,
        editable=False,
    )
    stage_entered = models.DateField("进入本阶段日期", editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="注册企业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investment_projects",
        editable=False,
        help_text="注册时按统一社会信用代码关联企业库",
    )
    plot = models.CharField(
        "地块",
        max_length=64,
        blank=True,
        help_text="供地地块编号(标准地管理启用后关联地块)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("登记时间", auto_now_add=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "招商项目"
        verbose_name_plural = "招商项目"
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["zone", "stage"], name="project_zone_stage"),
            models.Index(fields=["person_in_charge", "stage"], name="project_person_stage"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("investment:project", args=[self.pk])

    @property
    def investment_intensity(self) -> Decimal | None:
        """投资强度 (万元/亩): fixed-asset investment per mu of land; None without both."""
        if self.fixed_asset_investment is None or not self.land_mu:
            return None
        intensity: Decimal = self.fixed_asset_investment / self.land_mu
        return intensity.quantize(Decimal("0.01"))


class AnnualPlan(RegionalModel):
    """A project's 年度计划投资 for a year, and the investment completed against it."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="annual_plans"
    )
    year = models.PositiveSmallIntegerField("年度")
    planned_investment = _money("年度计划投资(万元)")
    completed_investment = _optional_money("年度已完成投资(万元)")

    province_source = "project"
    scope_zone_path = "project__zone"

    class Meta:
        verbose_name = "年度投资计划"
        verbose_name_plural = "年度投资计划"
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="annualplan_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}年计划"


class Visit(RegionalModel):
    """拜访记录: a visit to a target client or about a project, with the next action and the
    date to be reminded of it."""

    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        Project,
        verbose_name="项目",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits",
    )
    client = models.ForeignKey(
        TargetClient,
        verbose_name="目标客户",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visits",
    )
    visited_on = models.DateField("拜访日期")
    visitors = models.CharField("拜访人员", max_length=200)
    met = models.CharField("会见对象", max_length=200, blank=True)
    summary = models.TextField("洽谈情况")
    next_action = models.CharField("下一步工作", max_length=200, blank=True)
    remind_on = models.DateField("提醒日期", null=True, blank=True)
    reminded_on = models.DateField(
        "已提醒日期",
        null=True,
        blank=True,
        editable=False,
        help_text="提醒已随当日通知发出的日期;空:尚未提醒",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "拜访记录"
        verbose_name_plural = "拜访记录"
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False) | models.Q(client__isnull=False),
                name="visit_has_project_or_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.project or self.client}"


class FundArrival(RegionalModel):
    """资金到位: an amount that arrived for a project on a date; the proof is its attachment."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="fund_arrivals"
    )
    arrived_on = models.DateField("到位日期")
    amount = _money("到位金额(万元)")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    province_source = "project"
    scope_zone_path = "project__zone"

    class Meta:
        verbose_name = "资金到位"
        verbose_name_plural = "资金到位"
        ordering = ["project", "arrived_on", "pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.arrived_on} {self.amount}万元"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class StageSetting(models.Model):
    """Per-stage settings (data the system administrator keeps): how long a project is expected
    to stay (longer: stalled) and the probability that a project in it lands (开工落地)."""

    stage = models.CharField("阶段", max_length=12, choices=Stage.choices, unique=True)
    expected_days = models.PositiveSmallIntegerField(
        "预期停留天数",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="在本阶段停留超过该天数的项目为「停滞」;空:不限",
    )
    win_probability = models.DecimalField(
        "落地概率",
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="处于本阶段的项目最终开工落地的概率(0–1),用于加权项目储备;"
        "默认为经验值,某阶段累计退出满 30 个项目后以实际比例为准",
    )

    class Meta:
        verbose_name = "项目阶段设置"
        verbose_name_plural = "项目阶段设置"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_stage_display()


class StageChange(RegionalModel):
    """One entry of a project's stage history: append-only (no action updates or deletes one).

    ``occurred_on`` is when it happened (the contract's date, the start date); ``recorded_at``
    when it was entered. ``evidence`` holds what the transition required (the contract amount,
    the USCC, a reason, a note) and the attachments' ids, names and SHA-256. An undo (``撤销``)
    is a new entry going back, pointing at the entry it reverses with ``reverses``."""

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="stage_changes"
    )
    kind = models.CharField(
        "类别", max_length=12, choices=ChangeKind.choices, default=ChangeKind.TRANSITION
    )
    from_stage = models.CharField(
        "原阶段", max_length=12, choices=Stage.choices, blank=True, help_text="空:项目登记"
    )
    to_stage = models.CharField("新阶段", max_length=12, choices=Stage.choices)
    occurred_on = models.DateField("发生日期")
    recorded_at = models.DateTimeField("登记时间")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.JSONField("证明材料", default=dict, blank=True)
    amount_before = _optional_money("变更前总投资(万元)")
    amount_after = _optional_money("变更后总投资(万元)")
    reverses = models.OneToOneField(
        "self",
        verbose_name="撤销的记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    request_id = models.UUIDField("请求编号", null=True, blank=True, editable=False)

    province_source = "project"
    scope_zone_path = "project__zone"

    class Meta:
        verbose_name = "阶段变更记录"
        verbose_name_plural = "阶段变更记录"
        ordering = ["project", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["to_stage", "occurred_on"], name="stagechange_to_date"),
            models.Index(fields=["request_id"], name="stagechange_request"),
            # A province's stage dates (kpis.frame) read from the index alone: its entries
            # only, with every column that query reads, kind and id included (the INCLUDE is
            # PostgreSQL's; elsewhere a plain index). One on the project alone is not used for
            # a province: its tens of thousands of projects make PostgreSQL scan the table.
            models.Index(
                fields=["province_code", "project"],
                include=["to_stage", "from_stage", "occurred_on", "kind", "id"],
                name="stagechange_province_cover",
            ),
        ]

    def __str__(self) -> str:
        before = self.get_from_stage_display() or "登记"
        return f"{self.project} {before} → {self.get_to_stage_display()}"


# The KPI and lights data live in their own module; importing it here registers its models.
from kaifaqu.investment.kpi_models import (  # noqa: E402
    KpiStandard,
    KpiTarget,
    LightRuleSet,
    ProjectLight,
    ProjectSizeFloor,
)

__all__ = ["KpiStandard", "KpiTarget", "LightRuleSet", "ProjectLight", "ProjectSizeFloor"]
