from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.catalog.models import Indicator, Industry, Region
from kaifaqu.vocabulary import ENTERPRISE_YEAR, YEAR, ZONE
from kaifaqu.zones.choices import ZoneKind
from kaifaqu.zones.validators import validate_boundary


class Zone(RegionalModel):
    """A development zone (开发区) and its approval facts."""

    code = models.CharField(ZONE["code"].header, max_length=32, unique=True)
    name = models.CharField(ZONE["name"].header, max_length=100)
    kind = models.CharField(ZONE["kind"].header, max_length=20, choices=ZoneKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="zones"
    )
    comparison_group = models.CharField(
        ZONE["comparison_group"].header,
        max_length=32,
        blank=True,
        help_text="排名分组,如 东部/中部/西部、苏南/苏中/苏北",
    )
    approval_date = models.DateField(ZONE["approval_date"].header, null=True, blank=True)
    approved_area_km2 = models.DecimalField(
        ZONE["approved_area_km2"].header,
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    leading_industries = models.ManyToManyField(
        Industry,
        verbose_name=ZONE["leading_industries"].header,
        blank=True,
        related_name="leading_in_zones",
    )
    boundary = models.JSONField(
        "四至范围(GeoJSON)",
        null=True,
        blank=True,
        validators=[validate_boundary],
        help_text="GeoJSON Polygon 或 MultiPolygon,坐标为 [经度, 纬度]",
    )
    centre_lng = models.FloatField(ZONE["centre_lng"].header, null=True, blank=True)
    centre_lat = models.FloatField(ZONE["centre_lat"].header, null=True, blank=True)

    province_source = "region"
    scope_zone_path = ""

    class Meta:
        verbose_name = "开发区"
        verbose_name_plural = "开发区"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_area_km2__isnull=True)
                | models.Q(approved_area_km2__gte=0),
                name="zone_area_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("zones:zone", args=[self.pk])


class ZoneYear(RegionalModel):
    """One indicator value of a zone in a year (long form: a new indicator needs no migration)."""

    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.CASCADE, related_name="yearly_values"
    )
    year = models.PositiveSmallIntegerField(YEAR.header)
    indicator = models.ForeignKey(Indicator, verbose_name="指标", on_delete=models.PROTECT)
    value = models.DecimalField("数值(按指标单位)", max_digits=20, decimal_places=6, null=True)

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "开发区年度指标"
        verbose_name_plural = "开发区年度指标"
        ordering = ["zone", "year", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "indicator"], name="zoneyear_unique_zone_year_indicator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.year} {self.indicator}"


class ZoneYearSummary(RegionalModel):
    """Per zone and year, the enterprise figures that zone pages and dashboards read.

    A summary table refreshed by a job (``zone_summaries``, in ``enterprises/jobs.py`` since it
    reads the enterprises' years), never computed per request from the fact table. Money in 万元.
    """

    zone = models.ForeignKey(
        Zone, verbose_name="开发区", on_delete=models.CASCADE, related_name="summaries"
    )
    year = models.PositiveSmallIntegerField(YEAR.header)
    enterprise_count = models.PositiveIntegerField("有数据企业数(家)")
    above_scale_count = models.PositiveIntegerField("规上企业数(家)")
    operating_revenue = models.DecimalField(
        ENTERPRISE_YEAR["operating_revenue"].header, max_digits=20, decimal_places=4, null=True
    )
    tax_paid = models.DecimalField(
        ENTERPRISE_YEAR["tax_paid"].header, max_digits=20, decimal_places=4, null=True
    )
    value_added = models.DecimalField(
        ENTERPRISE_YEAR["value_added"].header, max_digits=20, decimal_places=4, null=True
    )
    land_area_mu = models.DecimalField(
        ENTERPRISE_YEAR["land_area_mu"].header, max_digits=20, decimal_places=4, null=True
    )
    energy_tce = models.DecimalField(
        ENTERPRISE_YEAR["energy_tce"].header, max_digits=20, decimal_places=4, null=True
    )
    rd_expenditure = models.DecimalField(
        ENTERPRISE_YEAR["rd_expenditure"].header, max_digits=20, decimal_places=4, null=True
    )
    refreshed = models.DateTimeField("汇总时间")

    province_source = "zone"
    scope_zone_path = "zone"

    class Meta:
        verbose_name = "开发区年度汇总"
        verbose_name_plural = "开发区年度汇总"
        ordering = ["zone", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year"], name="zoneyearsummary_unique_zone_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone} {self.year}"
