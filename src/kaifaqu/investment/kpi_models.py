"""The data behind the 招商 KPIs and lights: targets per zone and year, the seeds' standards,
the project-size floors per zone kind, and each open project's stored 红黄绿 light."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from kaifaqu.access.regional import RegionalModel
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.models import Zone


class Kpi(models.TextChoices):
    """The KPIs a target may be set for (rates in %, counts in 个)."""

    SIGN_CONVERSION_COHORT = "sign_conversion_cohort", "签约转化率(批次口径)"
    SIGN_CONVERSION_PERIOD = "sign_conversion_period", "签约转化率(期间口径)"
    LEADING_SHARE = "leading_share", "主导产业签约占比"
    SAME_YEAR_START = "same_year_start", "当年签约当年开工率"
    START_RATE = "start_rate", "开工率"
    PRODUCTION_RATE = "production_rate", "投产率"
    FUNDS_RATE = "funds_rate", "资金到位率"
    FULFILMENT_RATE = "fulfilment_rate", "履约率"
    OVER_100M = "over_100m", "亿元以上签约项目"
    OVER_5BN = "over_5bn", "50亿元以上签约项目"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class KpiStandard(models.Model):
    """A KPI's standard from the policy documents (seed 001: 签约转化率 ≥ 50% …): the target a
    zone has when it has none of its own for the year."""

    kpi = models.CharField("指标", max_length=32, choices=Kpi.choices, unique=True)
    value = models.DecimalField("标准值", max_digits=12, decimal_places=2)
    source = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        verbose_name = "招商指标标准"
        verbose_name_plural = "招商指标标准"
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.get_kpi_display()


class KpiTarget(RegionalModel):
    """A zone's target for a KPI in a year (rates in %, counts in 个)."""

    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.CASCADE, related_name="investment_targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    kpi = models.CharField("指标", max_length=32, choices=Kpi.choices)
    value = models.DecimalField("目标值", max_digits=12, decimal_places=2)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "招商指标目标"
        verbose_name_plural = "招商指标目标"
        ordering = ["zone", "-year", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "year", "kpi"], name="kpitarget_unique")
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.year}年 {self.get_kpi_display()}"


class ProjectSizeFloor(models.Model):
    """How many large projects a zone of a kind must sign in a year (seed 001: a national zone at
    least one of 超50亿元, a provincial one 超20亿元). ``inclusive``: 以上 (≥); else 超 (>)."""

    zone_kind = models.CharField("开发区类型", max_length=20, choices=ZoneKind.choices)
    label = models.CharField("名称", max_length=50)
    amount = models.DecimalField(
        "投资额门槛(万元)",
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    inclusive = models.BooleanField(
        "含门槛本数", default=False, help_text="以上(≥)勾选;超(>)不勾选"
    )
    minimum_count = models.PositiveSmallIntegerField("每年至少签约(个)", default=1)

    class Meta:
        verbose_name = "重大项目数量下限"
        verbose_name_plural = "重大项目数量下限"
        ordering = ["zone_kind", "amount"]
        constraints = [
            models.UniqueConstraint(fields=["zone_kind", "amount"], name="sizefloor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_zone_kind_display()} {self.label}"


class ProjectLight(RegionalModel):
    """A project's 红黄绿 light as the nightly job last judged it, with each rule's value and
    reason (``reasons``: a list of {rule, name, light, value, text})."""

    project = models.OneToOneField(
        "investment.Project", verbose_name="项目", on_delete=models.CASCADE, related_name="light"
    )
    light = models.CharField("预警灯", max_length=8, choices=Light.choices)
    reasons = models.JSONField("原因", default=list, blank=True)
    evaluated_on = models.DateField("评价日期")
    since = models.DateField("本色起始日期")
    rules_version = models.CharField("规则版本", max_length=40)

    province_source = "project"
    scope_zone_path = "project__zone"

    class Meta:
        verbose_name = "项目预警灯"
        verbose_name_plural = "项目预警灯"
        ordering = ["project"]
        indexes = [models.Index(fields=["light"], name="projectlight_light")]

    def __str__(self) -> str:
        return f"{self.project} {self.get_light_display()}"

    @property
    def reason_texts(self) -> list[str]:
        """Why the light is yellow or red: the rules that lit, in the document's words
        (开工逾期:开工逾期天数 45(黄灯)); empty for a green light."""
        # lights reads this module's ``Light``, so it is imported where it is used
        from kaifaqu.investment.lights import reason_text

        return [reason_text(r) for r in self.reasons if r["light"] != Light.GREEN]

    @property
    def reason_summary(self) -> str:
        return ";".join(self.reason_texts)


class LightRuleSet(models.Model):
    """A saved version of the 红黄绿 lights rule document (TOML, read by ``lights.parse_rules``).
    The newest is in force; before the first, the preset shipped in ``rules/lights.toml`` is.
    Versions are only added (``light_actions.save_light_rules``), never changed."""

    number = models.PositiveIntegerField("序号", unique=True, editable=False)
    version = models.CharField("规则版本", max_length=40, unique=True, editable=False)
    document = models.TextField("规则文档(TOML)", editable=False)
    note = models.CharField("修改说明", max_length=200, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("修改时间", auto_now_add=True)

    class Meta:
        verbose_name = "红黄绿灯规则版本"
        verbose_name_plural = "红黄绿灯规则版本"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"红黄绿灯规则 {self.version}"
