from decimal import Decimal
from functools import cached_property

from django.db import models

from kaifaqu.catalog.choices import Direction, IndustryLevel, RegionLevel
from kaifaqu.catalog.validators import division_code_validator


class Region(models.Model):
    """An administrative division (GB/T 2260): province, city or county.

    A division code reads two digits at a time: province, city, county (``330102`` is a county of
    the city ``330100`` in the province ``330000``). Every reading of a code by its digits is one
    of the helpers below, so scope and the generators agree on it.
    """

    code = models.CharField(
        "行政区划代码", max_length=6, unique=True, validators=[division_code_validator]
    )
    name = models.CharField("名称", max_length=64)
    level = models.CharField("级别", max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField("所属省份代码", max_length=6, editable=False, db_index=True)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=RegionLevel.PROVINCE, parent__isnull=True)
                | (~models.Q(level=RegionLevel.PROVINCE) & models.Q(parent__isnull=False)),
                name="region_parent_matches_level",
                violation_error_message="省级区划没有上级,市、县级区划必须有上级",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.province_code = self.province_code_of(self.code)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def code_prefix(self) -> str:
        """The digits every division code inside this one starts with."""
        return self.code_prefix_of(self.code, self.level)

    def ancestor_codes(self) -> tuple[str, ...]:
        """The codes of the divisions above this one, province first."""
        return self.ancestor_codes_of(self.code)

    @cached_property
    def ancestor_names(self) -> list[str]:
        """The names of the divisions above this one, province first; read once per instance
        (matching a document's unit names asks for them name after name)."""
        above = Region.objects.filter(code__in=self.ancestor_codes())
        return list(above.order_by("code").values_list("name", flat=True))

    @staticmethod
    def province_code_of(code: str) -> str:
        """The code of the province a division code lies in: ``330102`` → ``330000``."""
        return code[:2] + "0000"

    @staticmethod
    def code_prefix_of(code: str, level: str) -> str:
        """The digits the codes inside a division of ``level`` start with: ``33`` for the
        province ``330000``, ``3301`` for the city ``330100``, the whole code for a county."""
        if level == RegionLevel.PROVINCE:
            return code[:2]
        return code[:4] if level == RegionLevel.CITY else code

    @classmethod
    def ancestor_codes_of(cls, code: str) -> tuple[str, ...]:
        """The codes of the province and city above a division code, province first:
        ``330102`` → (``330000``, ``330100``); a city has its province; a province has none."""
        above = (cls.province_code_of(code), code[:4] + "00")
        return tuple(c for c in dict.fromkeys(above) if c != code)


class Industry(models.Model):
    """国民经济行业分类 GB/T 4754-2017: 门类 (a letter) and 大类 (two digits)."""

    code = models.CharField("行业代码", max_length=4, unique=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属门类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = "国民经济行业"
        verbose_name_plural = "国民经济行业"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Tag(models.Model):
    """信息标签库: labels such as 高新技术企业 or 重点排污单位; bureaus add their own."""

    name = models.CharField("标签", max_length=32, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "企业标签"
        verbose_name_plural = "企业标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """数据指标库: a zone-level indicator whose yearly values live in long form (ZoneYear)."""

    code = models.SlugField("指标代码", max_length=48, unique=True)
    name = models.CharField("指标名称", max_length=64)
    unit = models.CharField("单位", max_length=24, blank=True)
    definition = models.TextField("定义与口径", blank=True)
    direction = models.SmallIntegerField(
        "方向", choices=Direction.choices, default=Direction.BENEFIT
    )
    source = models.CharField("数据来源", max_length=64, blank=True)
    # The values the indicator can take: a 0/1 indicator (循环化改造完成) is 0 to 1 in whole
    # numbers, a rate of completion 0 to 100, a count at least 0 in whole numbers.
    minimum = models.DecimalField(
        "取值下限", max_digits=20, decimal_places=6, null=True, blank=True
    )
    maximum = models.DecimalField(
        "取值上限", max_digits=20, decimal_places=6, null=True, blank=True
    )
    integer = models.BooleanField("只取整数", default=False)

    class Meta:
        verbose_name = "数据指标"
        verbose_name_plural = "数据指标库"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}({self.unit})" if self.unit else self.name

    def value_problem(self, value: Decimal) -> str:
        """Why ``value`` cannot be a value of this indicator, in a clerk's words ("" if it can)."""
        if self.integer and value != value.to_integral_value():
            return f"「{self.name}」只取整数,{_plain(value)} 不是整数"
        low, high = self.minimum, self.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            return f"「{self.name}」的取值范围为{self.range_text},{_plain(value)} 超出范围"
        return ""

    @property
    def range_text(self) -> str:
        low, high = self.minimum, self.maximum
        unit = "" if self.unit == f"{_plain(low)}/{_plain(high)}" else self.unit
        if low is not None and high is not None:
            return f" {_plain(low)} 至 {_plain(high)}{unit}"
        if low is not None:
            return f"不小于 {_plain(low)}{unit}"
        return f"不大于 {_plain(high)}{unit}" if high is not None else "不限"

    def best_value(self, direction: int) -> Decimal | None:
        """The value no zone can beat in ``direction``: the lower bound of a cost indicator (0
        较大及以上事故), the upper bound of a benefit one (100% 完成率); None if unbounded."""
        return self.minimum if direction < 0 else self.maximum


def _plain(value: Decimal | None) -> str:
    """6 as 6, 0.5 as 0.5: the stored value without its trailing zeros."""
    return "" if value is None else f"{value.normalize():f}"
