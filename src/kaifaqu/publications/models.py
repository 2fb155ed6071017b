from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse

from kaifaqu.access.choices import Binding, RoleKind
from kaifaqu.access.models import Role
from kaifaqu.access.scope import audience_condition
from kaifaqu.access.users import ActingUser
from kaifaqu.catalog.models import Region
from kaifaqu.publications.choices import PublicationKind, PublicationState


def audience_roles(*, enterprises: bool) -> QuerySet[Role]:
    """The business roles a published list goes to: every bureau and zone office, and (for lists
    that name them, such as 亩均 grades) the enterprises."""
    roles = Role.objects.filter(kind=RoleKind.BUSINESS)
    return roles if enterprises else roles.exclude(binding=Binding.ENTERPRISE)


class PublicationQuerySet(models.QuerySet["Publication"]):
    def restrict(self, user: ActingUser, action: str = "view") -> Self:
        """Published: the user's role and region are in the audience. Draft: the author's office."""
        condition = audience_condition(
            user,
            action,
            published=Q(state=PublicationState.PUBLISHED),
            draft=Q(state=PublicationState.DRAFT),
        )
        return self.filter(condition).distinct()


class Publication(models.Model):
    """A list made public to named roles in named regions, showing only the named fields."""

    title = models.CharField("标题", max_length=200)
    kind = models.CharField("类别", max_length=16, choices=PublicationKind.choices)
    state = models.CharField(
        "状态", max_length=10, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    author_region = models.ForeignKey(
        Region,
        verbose_name="起草单位(区划)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_zone = models.ForeignKey(
        "zones.Zone",
        verbose_name="起草单位(开发区)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience_roles = models.ManyToManyField("access.Role", verbose_name="可见角色")
    audience_regions = models.ManyToManyField(
        Region, verbose_name="可见区划", related_name="+", help_text="含其下级区划"
    )
    columns = models.JSONField("公开字段", default=list, help_text='[["rank", "名次"], ...]')
    rows = models.JSONField("内容", default=list)
    published = models.DateTimeField("发布时间", null=True, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "公开发布"
        verbose_name_plural = "公开发布"
        ordering = ["-published", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publications:publication", args=[self.pk])

    def visible_rows(self) -> list[list[Any]]:
        """Each row reduced to the published columns, in their order: nothing else leaves."""
        keys = [key for key, _ in self.columns]
        return [[row.get(key) for key in keys] for row in self.rows]
