from __future__ import annotations

from decimal import Decimal
from typing import TypeAlias

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.catalog.models import Industry, Region, Tag
from kaifaqu.catalog.validators import validate_uscc
from kaifaqu.enterprises.choices import EnterpriseStatus, EventKind, Ownership
from kaifaqu.vocabulary import ENTERPRISE, ENTERPRISE_YEAR, Term
from kaifaqu.zones.models import Zone

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


Money: TypeAlias = "models.DecimalField[Decimal | None, Decimal | None]"


def _money(term: Term, *, signed: bool = False) -> Money:
    """A money amount in 万元; nullable because missing is never zero."""
    return models.DecimalField(
        term.header,
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[] if signed else NOT_NEGATIVE,
    )


def _quantity(term: Term) -> Money:
    return models.DecimalField(
        term.header,
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=NOT_NEGATIVE,
    )


class Enterprise(RegionalModel):
    """An enterprise registered in a zone, identified by its 统一社会信用代码."""

    uscc = models.CharField(
        ENTERPRISE["uscc"].header, max_length=18, unique=True, validators=[validate_uscc]
    )
    name = models.CharField(ENTERPRISE["name"].header, max_length=200, db_index=True)
    zone = models.ForeignKey(
        Zone, verbose_name="所在开发区", on_delete=models.PROTECT, related_name="enterprises"
    )
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT)
    industry = models.ForeignKey(
        Industry, verbose_name="所属行业(大类)", null=True, blank=True, on_delete=models.PROTECT
    )
    registration_date = models.DateField(
        ENTERPRISE["registration_date"].header, null=True, blank=True
    )
    registered_capital = _money(ENTERPRISE["registered_capital"])
    ownership = models.CharField(
        ENTERPRISE["ownership"].header,
        max_length=10,
        choices=Ownership.choices,
        default=Ownership.DOMESTIC,
    )
    status = models.CharField(
        ENTERPRISE["status"].header,
        max_length=16,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.OPERATING,
        db_index=True,
    )
    first_above_scale_year = models.PositiveSmallIntegerField(
        ENTERPRISE["first_above_scale_year"].header, null=True, blank=True
    )
    land_completion_date = models.DateField(
        ENTERPRISE["land_completion_date"].header, null=True, blank=True
    )
    merger_date = models.DateField(ENTERPRISE["merger_date"].header, null=True, blank=True)
    exempt_military = models.BooleanField(ENTERPRISE["exempt_military"].header, default=False)
    exempt_utility = models.BooleanField(ENTERPRISE["exempt_utility"].header, default=False)
    tags = models.ManyToManyField(
        Tag, verbose_name=ENTERPRISE["tags"].header, blank=True, related_name="enterprises"
    )

    province_source = "region"
    scope_zone_path = "zone"
    scope_enterprise_path = ""

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["id"]
        indexes = [models.Index(fields=["zone", "id"], name="enterprise_zone_keyset")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise", args=[self.pk])


class EnterpriseYear(RegionalModel):
    """One enterprise's statistics for one year. Money in 万元; every value nullable (missing ≠ 0).

    The zone is the enterprise's zone in that year, kept on the row so that scope filters and
    evaluation extracts read one table.
    """

    # An import writes 100,000 of these at a time, so no index here repeats another: the unique
    # (enterprise, year) and the (zone, year) indexes serve lookups by enterprise and by zone, and
    # the province code, compared only for equality, needs no pattern-matching twin (so the field
    # replaces the regional base's, indexed with one).
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="years",
        db_index=False,
    )
    zone = models.ForeignKey(
        Zone, verbose_name="当年所在开发区", on_delete=models.PROTECT, db_index=False
    )
    province_code = models.CharField("所属省份代码", max_length=6, editable=False)
    year = models.PositiveSmallIntegerField(ENTERPRISE_YEAR["year"].header)
    above_scale = models.BooleanField(ENTERPRISE_YEAR["above_scale"].header, null=True, blank=True)
    operating_revenue = _money(ENTERPRISE_YEAR["operating_revenue"])
    main_business_revenue = _money(ENTERPRISE_YEAR["main_business_revenue"])
    industrial_output = _money(ENTERPRISE_YEAR["industrial_output"])
    value_added = _money(ENTERPRISE_YEAR["value_added"], signed=True)
    total_profit = _money(ENTERPRISE_YEAR["total_profit"], signed=True)
    tax_paid = _money(ENTERPRISE_YEAR["tax_paid"])
    total_assets = _money(ENTERPRISE_YEAR["total_assets"])
    total_liabilities = _money(ENTERPRISE_YEAR["total_liabilities"])
    land_area_mu = _quantity(ENTERPRISE_YEAR["land_area_mu"])
    leased_floor_area_m2 = _quantity(ENTERPRISE_YEAR["leased_floor_area_m2"])
    energy_tce = _quantity(ENTERPRISE_YEAR["energy_tce"])
    electricity_10k_kwh = _quantity(ENTERPRISE_YEAR["electricity_10k_kwh"])
    cod_t = _quantity(ENTERPRISE_YEAR["cod_t"])
    ammonia_nitrogen_t = _quantity(ENTERPRISE_YEAR["ammonia_nitrogen_t"])
    so2_t = _quantity(ENTERPRISE_YEAR["so2_t"])
    nox_t = _quantity(ENTERPRISE_YEAR["nox_t"])
    rd_expenditure = _money(ENTERPRISE_YEAR["rd_expenditure"])
    avg_employees = models.PositiveIntegerField(
        ENTERPRISE_YEAR["avg_employees"].header, null=True, blank=True
    )
    rd_staff = models.PositiveIntegerField(
        ENTERPRISE_YEAR["rd_staff"].header, null=True, blank=True
    )
    export_value = _money(ENTERPRISE_YEAR["export_value"])
    fdi_used = _money(ENTERPRISE_YEAR["fdi_used"])
    high_tech_revenue = _money(ENTERPRISE_YEAR["high_tech_revenue"])

    province_source = "zone"
    scope_zone_path = "zone"
    scope_enterprise_path = "enterprise"

    class Meta:
        verbose_name = "企业年度数据"
        verbose_name_plural = "企业年度数据"
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"], name="enterpriseyear_unique_enterprise_year"
            ),
            models.CheckConstraint(
                condition=models.Q(land_area_mu__isnull=True) | models.Q(land_area_mu__gte=0),
                name="enterpriseyear_land_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(energy_tce__isnull=True) | models.Q(energy_tce__gte=0),
                name="enterpriseyear_energy_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(tax_paid__isnull=True) | models.Q(tax_paid__gte=0),
                name="enterpriseyear_tax_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "year"], name="enterpriseyear_zone_year"),
            models.Index(fields=["province_code"], name="enterpriseyear_province"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


# An enterprise's registry fields that imports and the API write (tags, a many-to-many, aside).
PROFILE_FIELDS = (
    "uscc",
    "name",
    "zone",
    "region",
    "industry",
    "registration_date",
    "registered_capital",
    "ownership",
    "status",
    "first_above_scale_year",
    "land_completion_date",
    "merger_date",
    "exempt_military",
    "exempt_utility",
)

# EnterpriseYear's statistics, in the order pages, the API and reports show them.
STATISTICS_FIELDS = (
    "operating_revenue",
    "main_business_revenue",
    "industrial_output",
    "value_added",
    "total_profit",
    "tax_paid",
    "total_assets",
    "total_liabilities",
    "land_area_mu",
    "leased_floor_area_m2",
    "energy_tce",
    "electricity_10k_kwh",
    "cod_t",
    "ammonia_nitrogen_t",
    "so2_t",
    "nox_t",
    "rd_expenditure",
    "avg_employees",
    "rd_staff",
    "export_value",
    "fdi_used",
    "high_tech_revenue",
)


class EnterpriseEvent(RegionalModel):
    """A dated event that evaluations read: major accidents, 失信 listing and removal."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事件类型", max_length=24, choices=EventKind.choices)
    date = models.DateField("发生日期")
    note = models.CharField("说明", max_length=200, blank=True)

    province_source = "enterprise"
    scope_zone_path = "enterprise__zone"
    scope_enterprise_path = "enterprise"

    class Meta:
        verbose_name = "企业事件"
        verbose_name_plural = "企业事件"
        ordering = ["enterprise", "date"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.date}"
