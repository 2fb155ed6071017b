"""Government units (单位): the 责任单位 that work is assigned to, and who belongs to each.

Work is assigned to units, not to people; a unit's members see what is assigned to it. The
system administrator keeps the registry; membership is a grant of access, so the security
administrator assigns it (三员分立, ``access.roles``).
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from kaifaqu.access.regional import RegionalModel
from kaifaqu.access.scope import RestrictedQuerySet, unit_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Region
from kaifaqu.units.choices import UnitKind


class UnitQuerySet(RestrictedQuerySet):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        return self.filter(unit_condition(user, action))


class Unit(RegionalModel):
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("单位类别", max_length=20, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="units"
    )
    zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="所属开发区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text="开发区管委会及其内设机构填写",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    aliases = models.JSONField(
        "别名", default=list, blank=True, help_text='文件中的其他写法,如 ["区发改局", "发改委"]'
    )
    active = models.BooleanField("在用", default=True)

    objects = UnitQuerySet.as_manager()  # type: ignore[misc]

    province_source = "region"

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_region_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("units:unit", args=[self.pk])

    def clean(self) -> None:
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) and alias.strip() for alias in self.aliases
        ):
            raise ValidationError({"aliases": '别名须为文字列表,如 ["区发改局"]'})
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": "上级单位不能是本单位"})
        if self.zone is not None and self.region_id != self.zone.region_id:
            raise ValidationError({"zone": "开发区所在区划与单位所在区划不一致"})


class Membership(models.Model):
    """A user's membership of a unit: the grant that shows them the unit's assigned work."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    since = models.DateTimeField("授予时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"
        ordering = ["unit", "user"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="membership_unique_unit_user")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user}"
