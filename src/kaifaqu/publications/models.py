from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse

from kaifaqu.access.choices import Binding, RoleKind
from kaifaqu.access.models import Role
from kaifaqu.access.scope import user_profile
from kaifaqu.catalog.models import Region
from kaifaqu.publications.choices import PublicationKind, PublicationState


def _ancestor_codes(code: str) -> set[str]:
    """A division code and the codes of the city and province above it."""
    return {code[:2] + "0000", code[:4] + "00", code}


def office_region_codes(user: Any) -> set[str]:
    """Division codes a user sits in or under: its region, its zones' or its enterprise's."""
    profile = user_profile(user)
    if profile is None or profile.role is None:
        return set()
    if profile.role.binding == Binding.REGION and profile.region is not None:
        return _ancestor_codes(profile.region.code)
    if profile.role.binding == Binding.ZONE:
        return {c for z in profile.zones.all() for c in _ancestor_codes(z.region.code)}
    if profile.enterprise is not None:
        return _ancestor_codes(profile.enterprise.zone.region.code)
    return set()


def audience_roles(*, enterprises: bool) -> QuerySet[Role]:
    """The business roles a published list goes to: every bureau and zone office, and (for lists
    that name them, such as 亩均 grades) the enterprises."""
    roles = Role.objects.filter(kind=RoleKind.BUSINESS)
    return roles if enterprises else roles.exclude(binding=Binding.ENTERPRISE)


class PublicationQuerySet(models.QuerySet["Publication"]):
    def restrict(self, user: Any, action: str = "view") -> Self:
        """Published: the user's role and region are in the audience. Draft: the author's office."""
        if getattr(user, "is_superuser", False):
            return self
        profile = user_profile(user)
        if profile is None or profile.role is None or not profile.role.allows(action):
            return self.none()
        published = Q(
            state=PublicationState.PUBLISHED,
            audience_roles=profile.role,
            audience_regions__code__in=office_region_codes(user),
        )
        if profile.role.binding == Binding.ZONE:
            office = Q(author_zone__in=list(profile.zones.all()))
        else:
            office = Q(author_region=profile.region, author_zone__isnull=True)
        draft = Q(state=PublicationState.DRAFT) & office
        return self.filter(published | draft).distinct()


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
